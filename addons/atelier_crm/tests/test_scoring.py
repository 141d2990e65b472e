# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime, timedelta

from odoo.tests import TransactionCase, freeze_time, tagged

from .common import AtelierCrmCommon

# Thursday 4 March 2027, 15:00 UTC
THURSDAY = datetime(2027, 3, 4, 15, 0)


@tagged("post_install", "-at_install")
class TestScoring(AtelierCrmCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_crm("score")
        cls.env.company.resource_calendar_id = cls.env.ref(
            "resource.resource_calendar_std"
        )
        cls.env["ir.config_parameter"].sudo().set_param(
            "atelier_crm.score_half_life_days", "30"
        )
        cls.env["ir.config_parameter"].sudo().set_param(
            "atelier_crm.mql_threshold", "50"
        )
        cls.advisory = cls.env.ref("atelier_crm.mail_activity_type_advisory_call")

    def _reasons(self, lead):
        return sorted((line.kind, line.points) for line in lead.atelier_score_line_ids)

    def test_fit_lines_explain_the_profile(self):
        lead = self._lead(
            "Karim", "karim@example.com", atelier_profile="learner", zip="69006"
        )
        self.assertEqual(self._reasons(lead), [("fit", 10.0), ("fit", 15.0)])
        reasons = lead.atelier_score_line_ids.mapped("reason")
        self.assertIn("Profile: learner (the academy's audience)", reasons)
        self.assertIn("Region: Auvergne-Rhône-Alpes, near the Lyon workshop", reasons)
        self.assertEqual(lead.atelier_score, 25)
        lead.write({"atelier_profile": "garage", "zip": "75011"})
        self.assertEqual(self._reasons(lead), [("fit", 20.0)])
        self.assertEqual(lead.atelier_score, 20)

    def test_engagement_decays_with_time(self):
        with freeze_time(THURSDAY):
            lead = self._lead("Nina", "nina@example.com")
            lead._atelier_add_score("guide_downloaded", detail="Guide OBD")
            self.assertEqual(lead.atelier_score, 20)
        with freeze_time(THURSDAY + timedelta(days=30)):
            self.Lead._atelier_cron_decay()
            self.assertEqual(lead.atelier_score, 10.0, "half-life: half the points")
            line = lead.atelier_score_line_ids
            self.assertEqual((line.points, round(line.current_points, 1)), (20.0, 10.0))
            self.assertEqual(line.detail, "Guide OBD")
        with freeze_time(THURSDAY + timedelta(days=90)):
            self.Lead._atelier_cron_decay()
            self.assertEqual(lead.atelier_score, 2.5)

    def test_limits_per_lead(self):
        lead = self._lead("Omar", "omar@example.com")
        for _i in range(3):
            lead._atelier_add_score("placement_test")
        self.assertEqual(len(lead.atelier_score_line_ids), 1, "once per lead")
        for _i in range(12):
            lead._atelier_add_score("email_opened")
        opened = lead.atelier_score_line_ids.filtered(
            lambda line: line.event == "email_opened"
        )
        self.assertEqual(len(opened), 10, "at most ten opens count")
        self.assertEqual(lead.atelier_score, 30 + 20)

    def test_threshold_hands_the_lead_to_sales_round_robin(self):
        with freeze_time(THURSDAY):
            leads = [
                self._lead(
                    f"Chaud {i}",
                    f"chaud{i}@example.com",
                    atelier_profile="learner",
                    zip="69003",
                )
                for i in range(3)
            ]
            for lead in leads:
                self.assertFalse(lead.atelier_mql_date)
                lead._atelier_add_score("guide_downloaded")  # 25 + 20 = 45: not yet
                self.assertFalse(lead.atelier_mql_date)
                lead._atelier_add_score("call")  # 60
            self.assertEqual([lead.atelier_funnel for lead in leads], ["mql"] * 3)
            users = [lead.user_id for lead in leads]
            self.assertEqual(users, [self.sales1, self.sales2, self.sales1])
            for lead in leads:
                activity = lead.activity_ids.filtered(
                    lambda a: a.activity_type_id == self.advisory
                )
                self.assertEqual(len(activity), 1)
                # Thursday -> Friday, the next working day
                self.assertEqual(activity.date_deadline, date(2027, 3, 5))
                self.assertEqual(activity.user_id, lead.user_id)
                self.assertIn("Score 60", activity.note)
                self.assertEqual(
                    lead.stage_id,
                    self.env.ref("atelier_crm.crm_stage_individuals_call"),
                )

    def test_next_working_day_skips_the_weekend_and_paused_members(self):
        self.env["crm.team.member"].search(
            [("user_id", "=", self.sales1.id), ("crm_team_id", "=", self.team.id)]
        ).assignment_optout = True
        friday = datetime(2027, 3, 5, 16, 0)
        with freeze_time(friday):
            lead = self._lead(
                "Vendredi",
                "vendredi@example.com",
                atelier_profile="learner",
                zip="69001",
            )
            lead._atelier_add_score("guide_downloaded")
            lead._atelier_add_score("call")
            self.assertEqual(lead.user_id, self.sales2, "a paused member gets nothing")
            activity = lead.activity_ids.filtered(
                lambda a: a.activity_type_id == self.advisory
            )
            self.assertEqual(activity.date_deadline, date(2027, 3, 8))

    def test_b2b_profile_goes_to_the_partners_pipeline(self):
        lead = self.Lead._atelier_capture(
            {
                "name": "Garage Lumière",
                "email": "contact@garage-lumiere.example.com",
                "profile": "garage",
                "zip": "69100",
            },
            "website_form",
        )
        # garage 20 + region 10 + form 15 = 45; a call makes it 60
        lead._atelier_add_score("call")
        self.assertEqual(lead.team_id, self.team_b2b)
        self.assertEqual(lead.user_id, self.sales_b2b)
        self.assertEqual(
            lead.stage_id, self.env.ref("atelier_crm.crm_stage_partners_call")
        )

    def test_decay_never_takes_back_the_qualification(self):
        with freeze_time(THURSDAY):
            lead = self._lead(
                "Tiède", "tiede@example.com", atelier_profile="learner", zip="69001"
            )
            lead._atelier_add_score("guide_downloaded")
            lead._atelier_add_score("call")
            self.assertTrue(lead.atelier_mql_date)
        with freeze_time(THURSDAY + timedelta(days=200)):
            self.Lead._atelier_cron_decay()
            self.assertLess(lead.atelier_score, 50)
            self.assertEqual(lead.atelier_funnel, "mql")
