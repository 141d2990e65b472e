# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import xmlrpc.client
from datetime import datetime, timedelta, timezone

from odoo.tests import HttpCase, get_db_name, tagged
from odoo.tools import mute_logger

from .common import ObdDataMixin, iso


@tagged("post_install", "-at_install")
class TestIngestRpc(ObdDataMixin, HttpCase):
    """The bridge's two transports, over a real HTTP server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_obd_data()
        cls.api_key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.bridge_user)
            ._generate(None, "obd bridge", datetime.now() + timedelta(days=300))
        )
        cls.db = get_db_name()
        cls.admin_group = cls.env.ref("base.group_system").id

    def setUp(self):
        super().setUp()
        # /xmlrpc/2 logs a deprecation WARNING per call (Odoo 19): tested on purpose
        muted = mute_logger("odoo.addons.rpc.controllers.xmlrpc")
        muted.__enter__()  # noqa: PLC2801
        self.addCleanup(muted.__exit__, None, None, None)
        self.start = datetime.now(timezone.utc) - timedelta(minutes=5)

    def payload(self, count=50):
        return self.make_payload(
            started_at=self.start,
            readings=self.rpm_readings(self.start + timedelta(seconds=1), count),
            dtcs=[{"code": "P0300", "status": "stored", "ts": iso(self.start)}],
        )

    def json2(self, model, method, body, key=None):
        return self.url_open(
            f"/json/2/{model}/{method}",
            data=json.dumps(body),
            headers={
                "Authorization": f"bearer {key or self.api_key}",
                "X-Odoo-Database": self.db,
                "Content-Type": "application/json",
            },
        )

    def test_xmlrpc_ingest_and_duplicate(self):
        uid = self.xmlrpc_common.authenticate(self.db, "obd_bridge", self.api_key, {})
        self.assertEqual(uid, self.bridge_user.id)
        payload = self.payload()
        answer = self.xmlrpc_object.execute_kw(
            self.db, uid, self.api_key, "atelier.obd.session", "ingest", [payload]
        )
        self.assertEqual((answer["status"], answer["accepted"]), ("stored", 51))
        again = self.xmlrpc_object.execute_kw(
            self.db, uid, self.api_key, "atelier.obd.session", "ingest", [payload]
        )
        self.assertEqual(again["status"], "duplicate")
        self.assertEqual(again["session_id"], answer["session_id"])
        session = self.env["atelier.obd.session"].browse(answer["session_id"])
        self.assertEqual(session.reading_count, 50)
        self.assertEqual(len(session.batch_ids), 1)

    @mute_logger("odoo.http")
    def test_xmlrpc_bridge_can_do_nothing_else(self):
        uid = self.bridge_user.id
        calls = [
            ("res.partner", "search_read", [[]], {"fields": ["name"], "limit": 1}),
            ("fleet.vehicle", "search_read", [[]], {"fields": ["vin_sn"]}),
            ("atelier.obd.session", "search_read", [[]], {"fields": ["vin"]}),
            ("atelier.obd.session", "_ingest_store", [1, {}, {}], {}),
            ("res.users", "write", [[uid], {"group_ids": [(4, self.admin_group)]}], {}),
        ]
        for model, method, args, kwargs in calls:
            with (
                self.subTest(method=f"{model}.{method}"),
                self.assertRaises(xmlrpc.client.Fault),
            ):
                self.xmlrpc_object.execute_kw(
                    self.db, uid, self.api_key, model, method, args, kwargs
                )
        with self.assertRaises(xmlrpc.client.Fault):
            self.xmlrpc_object.execute_kw(
                self.db,
                uid,
                "wrong-key",
                "atelier.obd.session",
                "ingest",
                [self.payload()],
            )

    @mute_logger("odoo.addons.rpc.controllers.xmlrpc", "odoo.http")
    def test_xmlrpc_malformed_payload(self):
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.xmlrpc_object.execute_kw(
                self.db,
                self.bridge_user.id,
                self.api_key,
                "atelier.obd.session",
                "ingest",
                [{"bridge_id": "garage-1"}],
            )
        self.assertIn("Malformed OBD payload", caught.exception.faultString)

    def test_json2_ingest_and_duplicate(self):
        payload = self.payload(count=20)
        response = self.json2("atelier.obd.session", "ingest", {"payload": payload})
        self.assertEqual(response.status_code, 200, response.text)
        answer = response.json()
        self.assertEqual((answer["status"], answer["accepted"]), ("stored", 21))
        again = self.json2("atelier.obd.session", "ingest", {"payload": payload}).json()
        self.assertEqual(again["status"], "duplicate")
        self.assertEqual(again["session_id"], answer["session_id"])
        chunks = self.env["atelier.obd.reading.chunk"].search(
            [("session_id", "=", answer["session_id"])]
        )
        self.assertEqual(sum(chunks.mapped("count")), 20)

    @mute_logger("odoo.http")
    def test_json2_refusals(self):
        malformed = self.json2("atelier.obd.session", "ingest", {"payload": "nope"})
        self.assertEqual(malformed.status_code, 422)
        self.assertIn("Malformed OBD payload", malformed.json()["message"])
        for model, method, body in (
            ("res.partner", "search_read", {"domain": [], "fields": ["name"]}),
            ("fleet.vehicle", "search", {"domain": []}),
            ("atelier.obd.session", "atelier_chart_data", {"ids": [1]}),
        ):
            with self.subTest(method=f"{model}.{method}"):
                response = self.json2(model, method, body)
                self.assertEqual(response.status_code, 403, response.text)
        private = self.json2(
            "atelier.obd.session", "_ingest_claim_batch", {"header": {}}
        )
        self.assertIn(private.status_code, (403, 404))
        wrong = self.json2(
            "atelier.obd.session", "ingest", {"payload": self.payload()}, key="nope"
        )
        self.assertEqual(wrong.status_code, 401)
