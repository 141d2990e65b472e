# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import re
from datetime import datetime, timedelta, timezone

import requests
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, TransactionCase, get_db_name, tagged

from odoo.addons.atelier_beta.tests.common import AtelierBetaCommon
from odoo.addons.atelier_fleet_obd.tests.common import ObdDataMixin, iso

VIN_TINA = "VF1RFB00X12345678"
VIN_UGO = "VF3LBYHZPHS012345"


def payload(vin, started_at, readings=3, future=False):
    """What the bridge sends: a session of ``vin`` with a few readings."""
    moment = started_at + (timedelta(days=2) if future else timedelta(seconds=1))
    return ObdDataMixin.make_payload(
        vin=vin,
        started_at=started_at,
        readings=[
            {
                "pid": "RPM",
                "ts": iso(moment + timedelta(seconds=i)),
                "value": 850.0 + i,
                "unit": "rpm",
            }
            for i in range(readings)
        ],
    )


class BetaObdCommon(AtelierBetaCommon):
    @classmethod
    def _setup_obd(cls):
        cls.bridge_user = cls.env["res.users"].create(
            {
                "name": "Pont OBD bêta",
                "login": "beta_obd_bridge",
                "password": "beta_obd_bridge_pw_1",
                "group_ids": [
                    Command.set([cls.env.ref("atelier_fleet_obd.group_obd_bridge").id])
                ],
            }
        )
        cls.Session = cls.env["atelier.obd.session"]


@tagged("post_install", "-at_install")
class TestActivationOverHttp(BetaObdCommon, HttpCase):
    """The bridge's real entry point, JSON-2 over HTTP with its API key."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_beta("obdhttp")
        cls._setup_obd()
        cls.api_key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.bridge_user)
            ._generate(None, "beta bridge", datetime.now() + timedelta(days=30))
        )
        cls.alice = cls._signup("Alice Parraine", ip="198.51.100.31")
        cls.tina = cls._tester(
            cls._signup("Tina Diag", referrer=cls.alice, ip="198.51.100.32"),
            activated=False,
            password="tina-diag-123",
        )

    def ingest(self, body):
        """One JSON-2 call with the bridge's key and no cookie at all."""
        self.env.flush_all()
        with self.allow_requests(all_requests=True):
            response = requests.post(
                f"{self.base_url()}/json/2/atelier.obd.session/ingest",
                data=json.dumps({"payload": body}),
                headers={
                    "Authorization": f"bearer {self.api_key}",
                    "X-Odoo-Database": get_db_name(),
                    "Content-Type": "application/json",
                },
                timeout=30,
            )
        self.env.invalidate_all()
        self.assertEqual(response.status_code, 200, response.text[:300])
        return response.json()

    def test_first_session_activates_and_credits_the_referrer(self):
        referral = self.Referral.search([("referred_id", "=", self.tina.id)])
        self.assertEqual(referral.state, "pending")
        # the tester registers their car on the portal
        self.authenticate(self.tina.user_id.login, "tina-diag-123")
        home = self.url_open("/my/beta")
        self.assertIn("o_atelier_beta_vehicle_form", home.text)
        token = re.search(r'name="csrf_token" value="([^"]+)"', home.text).group(1)
        bad = self.url_open(
            "/my/beta/vehicle",
            data={"csrf_token": token, "vin": "VF1-TOO-SHORT", "model_name": "Clio"},
        )
        self.assertEqual(bad.status_code, 400)
        self.assertIn("This VIN is not valid", bad.text)
        done = self.url_open(
            "/my/beta/vehicle",
            data={
                "csrf_token": token,
                "vin": VIN_TINA.lower(),
                "model_name": "Clio",
                "plate": "GH-123-JK",
            },
            allow_redirects=False,
        )
        self.assertEqual(done.status_code, 303)
        [vehicle] = self.tina._atelier_vehicles()
        self.assertEqual(
            (vehicle.vin_sn, vehicle.atelier_owner_id), (VIN_TINA, self.tina.partner_id)
        )
        # the app sends the first session
        started = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(
            minutes=20
        )
        body = payload(VIN_TINA, started)
        answer = self.ingest(body)
        self.assertEqual((answer["status"], answer["accepted"]), ("stored", 3))
        session = self.Session.browse(answer["session_id"])
        self.assertEqual(session.partner_id, self.tina.partner_id)
        self.assertEqual(self.tina.activated_at, started.replace(tzinfo=None))
        self.assertEqual(len(self.tina.activity_ids), 1)
        self.assertEqual(referral.state, "credited")
        self.assertEqual(self.alice.referral_credits, 1)
        badges = self.env["gamification.badge.user"].search(
            [("user_id", "=", self.tina.user_id.id)]
        )
        self.assertIn(
            self.env.ref("atelier_beta.badge_first_diagnostic"), badges.badge_id
        )
        # the same batch again (the bridge retries): nothing more
        again = self.ingest(body)
        self.assertEqual(again["status"], "duplicate")
        self.assertEqual(len(self.tina.activity_ids), 1)
        # the tester can now vote, and report a problem with that session
        self.assertIn(
            f"/my/beta/feedback/new?session_id={session.id}",
            self.url_open("/my/beta").text,
        )
        form = self.url_open(f"/my/beta/feedback/new?session_id={session.id}")
        self.assertIn(f'<option value="{session.id}" selected', form.text)
        posted = self.url_open(
            "/my/beta/feedback",
            data={
                "csrf_token": token,
                "kind": "bug",
                "name": "Régime figé",
                "description": "RPM bloqué.",
                "session_id": str(session.id),
            },
            allow_redirects=False,
        )
        self.assertEqual(posted.status_code, 303)
        feedback = self.Feedback.search([("author_id", "=", self.tina.id)])
        self.assertEqual(feedback.session_id, session)


@tagged("post_install", "-at_install")
class TestActivation(BetaObdCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_beta("obd")
        cls._setup_obd()
        cls.tina = cls._tester(
            cls._signup("Tina Modèle", ip="198.51.100.41"), activated=False
        )
        cls.ugo = cls._tester(
            cls._signup("Ugo Modèle", ip="198.51.100.42"), activated=False
        )
        cls.waiting = cls._signup("Wanda Attente", ip="198.51.100.43")
        cls.tina._atelier_register_vehicle(VIN_TINA, "Clio")
        cls.ugo._atelier_register_vehicle(VIN_UGO, "308")

    def ingest(self, body):
        return self.Session.with_user(self.bridge_user).ingest(body)

    def test_rejected_batch_or_stranger_activates_nobody(self):
        now = datetime.now(timezone.utc) - timedelta(minutes=5)
        answer = self.ingest(payload(VIN_TINA, now, future=True))
        self.assertEqual(answer["accepted"], 0)
        self.assertFalse(self.tina.activated_at)
        # a session of a car nobody in the beta owns
        self.ingest(payload("WVWZZZ1JZXW000001", now))
        self.assertFalse(self.tina.activated_at or self.ugo.activated_at)
        # a session created by hand is no use of the app
        self.Session.create(
            {
                "session_uuid": "manual-1",
                "vehicle_id": self.tina._atelier_vehicles().id,
                "started_at": now.replace(tzinfo=None),
            }
        )
        self.assertFalse(self.tina.activated_at)

    def test_vehicle_registration_refusals(self):
        with self.assertRaisesRegex(ValidationError, "registered already"):
            self.ugo._atelier_register_vehicle(VIN_TINA, "Clio")
        with self.assertRaisesRegex(ValidationError, "not valid"):
            self.ugo._atelier_register_vehicle("OOOOOOOOOOOOOOOOO", "Clio")
        with self.assertRaises(ValidationError):
            self.waiting._atelier_register_vehicle("VF1RFB00X12345679", "Clio")

    def test_feedback_on_someone_elses_session_refused(self):
        answer = self.ingest(
            payload(VIN_UGO, datetime.now(timezone.utc) - timedelta(minutes=5))
        )
        with self.assertRaisesRegex(ValidationError, "not one of yours"):
            self.Feedback._atelier_post(
                self.tina,
                {
                    "kind": "bug",
                    "name": "Pas à moi",
                    "description": "x",
                    "session_id": str(answer["session_id"]),
                },
            )
        with self.assertRaisesRegex(ValidationError, "not one of yours"):
            self.Feedback._atelier_post(
                self.tina,
                {
                    "kind": "bug",
                    "name": "Bidon",
                    "description": "x",
                    "session_id": "1 OR 1=1",
                },
            )

    def test_retention_per_batch_from_sessions_with_frozen_time(self):
        """Tina uses the app on days 0, 1 and 9; Ugo on day 0 only."""
        day0 = datetime(2026, 4, 6, 8, 30)  # a Monday, 10:30 in Paris
        batch = self.tina.batch_id
        self.ugo.invitation_ids.batch_id = batch  # both in one batch
        for who, days in ((self.tina, (0, 1, 9)), (self.ugo, (0,))):
            vin = VIN_TINA if who == self.tina else VIN_UGO
            for n in days:
                moment = day0 + timedelta(days=n)
                with freeze_time(moment + timedelta(minutes=30)):
                    answer = self.ingest(
                        payload(vin, moment.replace(tzinfo=timezone.utc))
                    )
                    self.assertEqual(answer["status"], "stored")
        self.assertEqual((self.tina.activated_at, self.ugo.activated_at), (day0, day0))
        self.assertEqual(len(self.tina.activity_ids), 3)
        with freeze_time(day0 + timedelta(days=2)):
            batch.invalidate_recordset()
            self.assertEqual(
                (batch.activated_count, batch.eligible_d1, batch.active_d1), (2, 2, 1)
            )
            self.assertEqual(batch.retention_d1, 50.0)
        with freeze_time(day0 + timedelta(days=14)):
            batch.invalidate_recordset()
            self.assertEqual(
                (batch.eligible_d7, batch.active_d7, batch.retention_d7), (2, 1, 50.0)
            )
        with freeze_time(day0 + timedelta(days=9, hours=12)):
            data = self.env["atelier.beta.dashboard"].sudo()._atelier_kpis()
        self.assertEqual(data["weekly"]["active_last_7_days"], 1)
