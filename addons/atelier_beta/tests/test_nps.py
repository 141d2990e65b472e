# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import TransactionCase, tagged

from .common import AtelierBetaCommon

# (profile, fuel type, referred?, score, comment), two batches of five
BATCH_A = [
    ("enthusiast", "diesel", True, 10, "Génial"),
    ("enthusiast", "petrol", False, 9, ""),
    ("pragmatic", "diesel", False, 9, ""),
    ("pragmatic", "petrol", True, 8, ""),
    ("garage", "diesel", False, 3, "Trop lent au garage"),
]
BATCH_B = [
    ("enthusiast", "electric", False, 10, ""),
    ("pragmatic", "diesel", True, 6, "Bof"),
    ("garage", "diesel", False, 5, ""),
    ("young_driver", "petrol", False, 7, ""),
    ("young_driver", "petrol", True, 0, "Ne se connecte jamais"),
]
# by hand: promoters - detractors over answers, in %
EXPECTED = {
    "all": (4 - 4) * 100 / 10,  # 0
    "batch": {"A": (3 - 1) * 100 / 5, "B": (1 - 3) * 100 / 5},  # 40, -40
    "profile": {
        "enthusiast": (3 - 0) * 100 / 3,  # 100
        "pragmatic": (1 - 1) * 100 / 3,  # 0
        "garage": (0 - 2) * 100 / 2,  # -100
        "young_driver": (0 - 1) * 100 / 2,  # -50
    },
    "fuel_type": {
        "diesel": (2 - 3) * 100 / 5,  # -20
        "petrol": (1 - 1) * 100 / 4,  # 0
        "electric": 100,
    },
    "origin": {
        "referral": (1 - 2) * 100 / 4,
        "direct": (3 - 2) * 100 / 6,
    },  # -25, 16.7 -> 17
}


@tagged("post_install", "-at_install")
class TestNps(AtelierBetaCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_beta("nps")
        cls.referrer = cls._signup("Parrain NPS", ip="192.0.2.200")
        cls.start = fields.Datetime.now() - timedelta(days=20)
        cls.people = {}
        for label, rows in (("A", BATCH_A), ("B", BATCH_B)):
            signups = cls.Signup.browse()
            for index, (profile, fuel, referred, _score, _comment) in enumerate(rows):
                signups |= cls._signup(
                    f"Testeur {label}{index}",
                    profile=profile,
                    fuel_type=fuel,
                    referrer=cls.referrer if referred else cls.Signup.browse(),
                    ip=f"192.0.2.{10 + index + (0 if label == 'A' else 20)}",
                    device=None,
                )
            batch = cls.Batch.sudo().create({"name": label, "size": len(signups)})
            cls.env["atelier.beta.invitation"].sudo().create(
                [{"signup_id": s.id, "batch_id": batch.id} for s in signups]
            )
            batch.action_send()
            for invitation in batch.invitation_ids:
                cls.Invitation._atelier_accept(
                    invitation._atelier_token(), password="nps-pass-123"
                )
            for signup in signups:
                cls.Signup._atelier_record_use(signup.partner_id, cls.start)
            cls.people[label] = signups

    def _answer(self, request, score, comment):
        answer = request.user_input_id
        survey = self.env.ref("atelier_beta.survey_beta_nps")
        answer._save_lines(
            self.env.ref("atelier_beta.survey_beta_nps_q_score"), str(score)
        )
        if comment:
            answer._save_lines(
                self.env.ref("atelier_beta.survey_beta_nps_q_comment"), comment
            )
        answer._mark_done()
        self.assertEqual(answer.survey_id, survey)

    def test_sent_once_per_person_and_period_then_computed_by_segment(self):
        Nps = self.env["atelier.beta.nps"]
        everyone = self.people["A"] | self.people["B"]
        # day 13: too early
        with freeze_time(self.start + timedelta(days=13)):
            self.assertEqual(Nps._atelier_cron_send(), 0)
        with freeze_time(self.start + timedelta(days=14, hours=1)):
            self.assertEqual(Nps._atelier_cron_send(), 10)
            self.assertEqual(Nps._atelier_cron_send(), 0)  # once per period
        requests = Nps.search([("signup_id", "in", everyone.ids)])
        self.assertEqual(set(requests.mapped("period")), {"d14"})
        self.assertTrue(
            all(r.user_input_id.partner_id == r.signup_id.partner_id for r in requests)
        )
        mails = self.env["mail.mail"].search(
            [("model", "=", "atelier.beta.nps"), ("res_id", "in", requests.ids)]
        )
        self.assertEqual(len(mails), 10)
        self.assertIn("/survey/start/", mails[0].body_html)

        for label, rows in (("A", BATCH_A), ("B", BATCH_B)):
            for signup, (_p, _f, _r, score, comment) in zip(
                self.people[label], rows, strict=True
            ):
                self._answer(
                    requests.filtered(lambda r, s=signup: r.signup_id == s),
                    score,
                    comment,
                )
        zero = requests.filtered(lambda r: r.score == 0)
        self.assertEqual(
            (zero.category, zero.comment), ("detractor", "Ne se connecte jamais")
        )

        Dashboard = self.env["atelier.beta.dashboard"]
        [overall] = Dashboard._atelier_nps()
        self.assertEqual((overall["answers"], overall["nps"]), (10, EXPECTED["all"]))
        by_batch = {row["key"]: row["nps"] for row in Dashboard._atelier_nps("batch")}
        batches = {label: self.people[label][0].batch_id.id for label in ("A", "B")}
        self.assertEqual(
            by_batch, {batches[k]: v for k, v in EXPECTED["batch"].items()}
        )
        for dimension in ("profile", "fuel_type"):
            got = {row["key"]: row["nps"] for row in Dashboard._atelier_nps(dimension)}
            self.assertEqual(got, EXPECTED[dimension], dimension)
        got = {row["key"]: row["nps"] for row in Dashboard._atelier_nps("origin")}
        self.assertEqual(got, {"referral": -25, "direct": 17})

        # detractors: an activity for the beta manager, listed on the dashboard
        detractors = requests.filtered(lambda r: r.category == "detractor")
        self.assertEqual(len(detractors), 4)
        self.assertEqual(detractors.activity_ids.user_id, self.manager)
        kpis = Dashboard.with_user(self.team).atelier_dashboard()
        self.assertEqual(kpis["nps"]["all"], 0)
        self.assertEqual({row["id"] for row in kpis["detractors"]}, set(detractors.ids))
        detractors[0].with_user(self.manager).action_done_follow_up()
        self.assertFalse(detractors[0].activity_ids)

        # day 60: the second question, once
        with freeze_time(self.start + timedelta(days=60, hours=1)):
            self.assertEqual(Nps._atelier_cron_send(), 10)
            self.assertEqual(Nps._atelier_cron_send(), 0)
        self.assertEqual(Nps.search_count([("signup_id", "in", everyone.ids)]), 20)
        [d14_only] = Dashboard._atelier_nps(period="d14")
        self.assertEqual(d14_only["answers"], 10)
