# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .common import AtelierBetaCommon

# activation on a Monday morning (10:00 UTC, noon in Paris)
DAY0 = datetime(2026, 3, 2, 10, 0)


def day(n, hour=10):
    return DAY0 + timedelta(days=n, hours=hour - 10)


@tagged("post_install", "-at_install")
class TestDashboard(AtelierBetaCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_beta("kpi")
        with freeze_time(day(-3)):
            signups = cls.Signup.browse()
            for index in range(5):
                signups |= cls._signup(
                    f"Rétention {index}", ip=f"192.0.2.{100 + index}"
                )
            cls.batch = cls.Batch.sudo().create({"name": "Mars", "size": 5})
            cls.env["atelier.beta.invitation"].sudo().create(
                [{"signup_id": s.id, "batch_id": cls.batch.id} for s in signups]
            )
            cls.batch.action_send()
            for invitation in cls.batch.invitation_ids:
                cls.Invitation._atelier_accept(
                    invitation._atelier_token(), password="kpi-pass-123"
                )
        cls.t1, cls.t2, cls.t3, cls.t4, cls.t5 = signups
        uses = {
            cls.t1: [0, 1, 8, 31],
            cls.t2: [0, 1],
            cls.t3: [0, 10, 10],  # two sessions one day: one active day
            cls.t4: [0],
            cls.t5: [],  # accepted, never used the app
        }
        for tester, days in uses.items():
            for n in days:
                with freeze_time(day(n)):
                    cls.Signup._atelier_record_use(tester.partner_id, day(n))

    def _figures(self, when):
        with freeze_time(when):
            self.batch.invalidate_recordset()
            return {
                fname: self.batch[fname]
                for fname in (
                    "invited_count",
                    "accepted_count",
                    "activated_count",
                    "eligible_d1",
                    "active_d1",
                    "retention_d1",
                    "eligible_d7",
                    "active_d7",
                    "retention_d7",
                    "eligible_d30",
                    "active_d30",
                    "retention_d30",
                )
            }

    def test_retention_per_batch_with_frozen_time(self):
        self.assertEqual(self.t3.activity_ids.mapped("day").count(day(10).date()), 1)
        self.assertEqual(self.t1.activated_at, DAY0)
        at_day1 = self._figures(day(1, hour=20))
        self.assertEqual(
            (
                at_day1["invited_count"],
                at_day1["accepted_count"],
                at_day1["activated_count"],
            ),
            (5, 5, 4),
        )
        self.assertEqual(at_day1["eligible_d1"], 0)  # day 1 is not over
        at_day2 = self._figures(day(2))
        self.assertEqual(
            (at_day2["eligible_d1"], at_day2["active_d1"], at_day2["retention_d1"]),
            (4, 2, 50.0),
        )
        self.assertEqual(at_day2["eligible_d7"], 0)
        at_day13 = self._figures(day(13))
        self.assertEqual(at_day13["eligible_d7"], 0)  # window 7-13 still open
        at_day14 = self._figures(day(14))
        self.assertEqual(
            (at_day14["eligible_d7"], at_day14["active_d7"], at_day14["retention_d7"]),
            (4, 2, 50.0),
        )
        self.assertEqual(at_day14["eligible_d30"], 0)
        at_day37 = self._figures(day(37))
        self.assertEqual(
            (
                at_day37["eligible_d30"],
                at_day37["active_d30"],
                at_day37["retention_d30"],
            ),
            (4, 1, 25.0),
        )

    def test_weekly_actives_and_the_dashboard(self):
        Dashboard = self.env["atelier.beta.dashboard"]
        with self.assertRaises(AccessError):
            Dashboard.with_user(self.employee).atelier_dashboard()
        with freeze_time(day(11)):
            data = Dashboard.with_user(self.team).atelier_dashboard()
        # days 5 to 11: t1 (day 8) and t3 (day 10)
        self.assertEqual(data["weekly"]["active_last_7_days"], 2)
        weeks = {row["week"]: row["active"] for row in data["weekly"]["weeks"]}
        self.assertEqual(weeks["2026-03-02"], 4)  # the first week: all four
        self.assertEqual(weeks["2026-03-09"], 2)
        # share of the testers activated by the end of each week
        shares = {row["week"]: row["rate"] for row in data["weekly"]["weeks"]}
        self.assertEqual(shares["2026-03-02"], 100.0)
        self.assertEqual(shares["2026-03-09"], 50.0)
        self.assertIsNone(shares["2026-02-23"])  # nobody activated yet
        [row] = [b for b in data["batches"] if b["id"] == self.batch.id]
        self.assertEqual((row["invited"], row["accepted"], row["activated"]), (5, 5, 4))
        self.assertEqual(row["retention_d1"], 50.0)
        self.assertIsNone(row["retention_d7"])  # nobody measured yet
        self.assertEqual(data["per_day"][-1]["day"], "2026-03-13")
        json.dumps(data)  # what the browser receives

    def test_kpis_count_signups_sources_and_rates(self):
        Dashboard = self.env["atelier.beta.dashboard"].sudo()
        before = Dashboard._atelier_kpis()
        source = self.env["utm.source"].create({"name": "Forum auto"})
        self._signup("Source Un", source=source, ip="192.0.2.150")
        self._signup("Source Deux", source=source, ip="192.0.2.151", confirm=False)
        after = Dashboard._atelier_kpis()
        self.assertEqual(after["funnel"]["signups"], before["funnel"]["signups"] + 2)
        self.assertEqual(
            after["funnel"]["confirmed"], before["funnel"]["confirmed"] + 1
        )
        self.assertEqual(after["funnel"]["pending"], before["funnel"]["pending"] + 1)
        [forum] = [row for row in after["by_source"] if row["label"] == "Forum auto"]
        self.assertEqual(
            (forum["signups"], forum["confirmed"], forum["confirmation_rate"]),
            (2, 1, 50.0),
        )
        self.assertEqual(
            after["per_day"][-1]["signups"], before["per_day"][-1]["signups"] + 2
        )
        self.assertEqual(
            after["invitations"]["invited"], before["invitations"]["invited"]
        )

    def test_erasure_leaves_the_queue_and_keeps_the_figures(self):
        Dashboard = self.env["atelier.beta.dashboard"].sudo()
        feedback = self.Feedback._atelier_post(
            self.t1,
            {
                "kind": "idea",
                "name": "Historique",
                "description": "Garder les sessions.",
            },
        )
        feedback.sudo()._atelier_accept()
        with freeze_time(day(14)):
            before = Dashboard._atelier_kpis()
            figures = self._figures(day(14))
        waiting = self._signup("Attente Effacée", ip="192.0.2.160")
        token = waiting._atelier_status_token()
        partner = waiting.partner_id
        behind = self._signup("Derrière", ip="192.0.2.161")
        position = behind.position
        waiting._atelier_erase("beta")
        self.t1._atelier_erase("beta")
        behind.invalidate_recordset(["position"])
        self.assertEqual(behind.position, position - 1)
        self.assertEqual(waiting.state, "erased")
        for signup in (waiting, self.t1):
            self.assertFalse(
                signup.name
                or signup.email
                or signup.sudo().email_key
                or signup.referral_code
            )
        self.assertFalse(self.Signup._atelier_from_status_token(token))
        self.assertFalse(partner.email)
        self.assertIn("Anonymised", partner.name)
        self.assertFalse(feedback.screenshot)
        with freeze_time(day(14)):
            after = Dashboard._atelier_kpis()
            self.assertEqual(self._figures(day(14)), figures)
        self.assertEqual(after["funnel"]["signups"], before["funnel"]["signups"] + 2)
        self.assertEqual(
            after["funnel"]["confirmed"], before["funnel"]["confirmed"] + 2
        )
        self.assertEqual(after["funnel"]["activated"], before["funnel"]["activated"])
        self.assertEqual(after["funnel"]["erased"], before["funnel"]["erased"] + 2)
        self.assertEqual(after["feedback"]["accepted"], before["feedback"]["accepted"])
        log = self.env["atelier.crm.gdpr.log"].search([("partner_id", "=", partner.id)])
        self.assertEqual((log.action, log.channel), ("erase", "beta"))

    def test_export_has_the_beta(self):
        data = self.t2.partner_id._atelier_gdpr_data()
        [beta] = data["beta"]
        self.assertEqual((beta["state"], beta["profile"]), ("tester", "pragmatic"))
        self.assertTrue(beta["activated"])
