# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import random
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from .common import AtelierBetaCommon


@tagged("post_install", "-at_install")
class TestQueue(AtelierBetaCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_beta("queue")
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("atelier_beta.places_per_referral", "2")
        params.set_param("atelier_beta.max_referral_credits", "3")

    def _fresh_queue(self, specs):
        # the queue of these tests only: others waiting are set aside
        self.Signup.sudo().search([("state", "=", "waiting")]).write(
            {"state": "expired"}
        )
        return self._waiting(specs)

    def test_confirmation_gives_a_place_and_a_code(self):
        first = self._signup(
            "Anne Premier",
            purposes=["newsletter"],
            texts={"newsletter": "Je veux la lettre."},
        )
        second = self._signup("Bruno Second")
        pending = self._signup("Carla Attente", confirm=False)
        self.assertEqual(
            (first.state, second.state, pending.state),
            ("waiting", "waiting", "pending"),
        )
        self.assertLess(first.queue_number, second.queue_number)
        self.assertFalse(pending.queue_number)
        self.assertEqual(second.position, first.position + 1)
        self.assertEqual(pending.position, 0)
        self.assertRegex(first.referral_code, r"^[2-9A-HJ-NP-Z]{8}$")
        self.assertNotEqual(first.referral_code, second.referral_code)
        # the contact, the lead and the consents come from the CRM's opt-in
        self.assertEqual(first.lead_id.atelier_channel, "beta")
        self.assertEqual(first.partner_id.email, first.email)
        consents = self.env["atelier.crm.consent"].search([("email", "=", first.email)])
        self.assertEqual(
            sorted(consents.mapped("action")),
            ["granted", "requested"],
            consents.mapped("channel"),
        )
        self.assertEqual(first.partner_id.atelier_consent_newsletter, "granted")

    def test_referral_points_move_up_by_the_documented_formula(self):
        people = self._fresh_queue([("diesel", "ara", "pragmatic")] * 6)
        a, b, c, d, e, f = people
        self.assertEqual([p.position for p in people], [1, 2, 3, 4, 5, 6])
        # rank = queue number - 2 x min(credits, 3)
        e.sudo().referral_credits = 1
        self.Signup._atelier_rerank([e.id])
        self.assertEqual(e.rank_score, e.queue_number - 2)
        people.invalidate_recordset(["position"])
        # e passes d and ties with c: the lower queue number goes first
        self.assertEqual([p.position for p in (a, b, c, e, d, f)], [1, 2, 3, 4, 5, 6])
        # credits beyond the cap count as the cap
        f.sudo().referral_credits = 10
        self.Signup._atelier_rerank([f.id])
        self.assertEqual(f.rank_score, f.queue_number - 6)
        people.invalidate_recordset(["position"])
        self.assertEqual([p.position for p in (f, a, b, c, e, d)], [1, 2, 3, 4, 5, 6])
        # a new setting re-ranks everyone
        settings = self.env["res.config.settings"].create(
            {"atelier_beta_places_per_referral": 5}
        )
        settings.execute()
        self.assertEqual(f.rank_score, f.queue_number - 15)
        people.invalidate_recordset(["position"])
        self.assertEqual(f.position, 1)

    def test_draw_honours_quotas_in_rank_order(self):
        specs = [
            ("diesel", "idf", "pragmatic"),  # 1 taken
            ("diesel", "idf", "enthusiast"),  # 2 taken
            ("diesel", "ara", "garage"),  # 3 diesel full (2): skipped
            ("electric", "idf", "pragmatic"),  # 4 electric quota 0: skipped
            ("petrol", "idf", "pragmatic"),  # 5 region idf full (2): skipped
            ("petrol", "ara", "young_driver"),  # 6 taken
            ("hybrid", "bre", "garage"),  # 7 taken
            ("petrol", "pac", "enthusiast"),  # 8 taken: batch full (5)
            ("lpg", "occ", "pragmatic"),  # 9 not reached
        ]
        people = self._fresh_queue(specs)
        batch = self.Batch.with_user(self.manager).create(
            {
                "name": "Vague quotas",
                "size": 5,
                "quota_ids": [
                    (
                        0,
                        0,
                        {"dimension": "fuel_type", "fuel_type": "diesel", "places": 2},
                    ),
                    (
                        0,
                        0,
                        {
                            "dimension": "fuel_type",
                            "fuel_type": "electric",
                            "places": 0,
                        },
                    ),
                    (0, 0, {"dimension": "region", "region": "idf", "places": 2}),
                ],
            }
        )
        batch.action_draw()
        drawn = batch.invitation_ids.signup_id
        self.assertEqual(
            drawn, people[0] | people[1] | people[5] | people[6] | people[7]
        )
        self.assertEqual(set(batch.invitation_ids.mapped("state")), {"draft"})
        quotas = {q.value: q.drawn_count for q in batch.quota_ids}
        self.assertEqual(quotas, {"diesel": 2, "electric": 0, "idf": 2})
        # drawing again gives the same people, not twice
        batch.action_draw()
        self.assertEqual(len(batch.invitation_ids), 5)
        # another batch cannot take the same people
        other = self.Batch.with_user(self.manager).create(
            {"name": "Suivante", "size": 10}
        )
        other.action_draw()
        self.assertEqual(
            other.invitation_ids.signup_id,
            people[2] | people[3] | people[4] | people[8],
        )

    def test_draw_matches_the_plain_greedy_walk(self):
        """The set-based draw takes exactly who a person-by-person walk
        down the queue takes, on a random queue with quotas on every
        dimension and referral credits reordering it."""
        rng = random.Random(14)
        fuels = ["petrol", "diesel", "hybrid", "electric", "lpg"]
        regions = ["ara", "idf", "bre", "pac", "occ", "naq"]
        profiles = ["enthusiast", "pragmatic", "young_driver", "garage"]
        specs = [
            {
                "fuel_type": rng.choices(fuels, weights=[5, 4, 2, 1, 1])[0],
                "region": rng.choices(regions, weights=[3, 5, 1, 2, 2, 2])[0],
                "profile": rng.choices(profiles, weights=[2, 5, 2, 1])[0],
                "referral_credits": rng.choice([0, 0, 0, 1, 2, 5]),
            }
            for _i in range(400)
        ]
        self._fresh_queue(specs)
        quotas = [
            ("fuel_type", "fuel_type", "petrol", 20),
            ("fuel_type", "fuel_type", "diesel", 20),
            ("fuel_type", "fuel_type", "electric", 8),
            ("fuel_type", "fuel_type", "lpg", 0),
            ("region", "region", "idf", 15),
            ("region", "region", "ara", 12),
            ("region", "region", "bre", 3),
            ("profile", "profile", "garage", 6),
            ("profile", "profile", "young_driver", 9),
        ]
        values = [
            (0, 0, {"dimension": dim, field: value, "places": places})
            for dim, field, value, places in quotas
        ]
        fast = self.Batch.sudo().create(
            {"name": "SQL", "size": 60, "quota_ids": values}
        )
        fast.action_draw()
        chosen = fast.invitation_ids.signup_id
        fast.invitation_ids.unlink()
        slow = self.Batch.sudo().create(
            {"name": "Boucle", "size": 60, "quota_ids": values}
        )
        slow._atelier_draw_naive()
        self.assertEqual(len(chosen), len(slow.invitation_ids))
        self.assertEqual(chosen, slow.invitation_ids.signup_id)
        counts = {}
        for signup in chosen:
            for dim in ("fuel_type", "region", "profile"):
                counts[(dim, signup[dim])] = counts.get((dim, signup[dim]), 0) + 1
        for dim, _field, value, places in quotas:
            self.assertLessEqual(counts.get((dim, value), 0), places, (dim, value))
        self.assertEqual(counts.get(("fuel_type", "lpg"), 0), 0)

    def test_draw_and_send_are_for_managers(self):
        batch = self.Batch.with_user(self.manager).create({"name": "Droits", "size": 2})
        with self.assertRaises(AccessError):
            batch.with_user(self.team).action_draw()
        with self.assertRaises(AccessError):
            batch.with_user(self.team).action_send()
        with self.assertRaises(UserError):
            batch.with_user(self.manager).action_send()  # nobody drawn yet

    def test_expiry_returns_the_place(self):
        people = self._fresh_queue([("diesel", "ara", "pragmatic")] * 4)
        a, b, c, d = people
        before = {p.id: p.position for p in people}
        batch = self.Batch.with_user(self.manager).create(
            {
                "name": "Expire",
                "size": 1,
                "validity_days": 3,
                "quota_ids": [
                    (
                        0,
                        0,
                        {"dimension": "profile", "profile": "pragmatic", "places": 1},
                    )
                ],
            }
        )
        batch.action_draw()
        self.assertEqual(batch.invitation_ids.signup_id, a)
        batch.action_send()
        invitation = batch.invitation_ids
        self.assertEqual((a.state, invitation.state), ("invited", "sent"))
        people.invalidate_recordset(["position"])
        self.assertEqual((b.position, c.position, d.position), (1, 2, 3))
        token = invitation._atelier_token()
        mails = [
            ("model", "=", "atelier.beta.invitation"),
            ("res_id", "=", invitation.id),
        ]
        self.assertEqual(self.env["mail.mail"].search_count(mails), 1)  # the invitation
        # not yet: the cron leaves it
        with freeze_time(fields.Datetime.now() + timedelta(days=2)):
            self.assertEqual(self.Invitation._atelier_cron_expire(), 0)
        with freeze_time(fields.Datetime.now() + timedelta(days=3, minutes=1)):
            self.assertEqual(self.Invitation._atelier_from_token(token)[1], "expired")
            self.assertEqual(self.Invitation._atelier_cron_expire(), 1)
            _inv, status, _login = self.Invitation._atelier_accept(
                token, password="long-enough-1"
            )
            self.assertEqual(status, "expired")
        self.assertEqual((a.state, invitation.state), ("waiting", "expired"))
        people.invalidate_recordset(["position"])
        self.assertEqual({p.id: p.position for p in people}, before)
        # and a word that the place is back, both to the person
        sent = self.env["mail.mail"].search(mails)
        self.assertEqual(len(sent), 2)
        self.assertEqual(set(sent.mapped("email_to")), {a.email})
        self.assertFalse(a.user_id)
        # the batch still counts the invitation it sent
        self.assertEqual((batch.invited_count, batch.accepted_count), (1, 0))
