# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .common import AtelierCrmCommon


@tagged("post_install", "-at_install")
class TestQualification(AtelierCrmCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_crm("qual")
        cls.env.company.resource_calendar_id = cls.env.ref(
            "resource.resource_calendar_std"
        )
        cls.script = cls.env.ref("atelier_crm.survey_qualification")
        cls.advisory = cls.env.ref("atelier_crm.mail_activity_type_advisory_call")

    def _mql_lead(self, name, email, **vals):
        lead = self._lead(name, email, atelier_profile="learner", zip="69006", **vals)
        lead._atelier_add_score("guide_downloaded")
        lead._atelier_add_score("call")
        self.assertTrue(lead.atelier_mql_date)
        return lead

    def _answer(self, lead, user, answers):
        """What the salesperson ticks in the script, then submits."""
        action = lead.with_user(user).action_atelier_start_qualification()
        answer = self.env["survey.user_input"].search([("lead_id", "=", lead.id)])
        self.assertEqual(len(answer), 1)
        self.assertEqual(action["url"], answer._atelier_fill_url())
        self.assertEqual(answer.partner_id, user.partner_id)
        for question_xmlid, choice_xmlid in answers:
            question = self.env.ref(f"atelier_crm.{question_xmlid}")
            choice = self.env.ref(f"atelier_crm.{choice_xmlid}")
            answer._save_lines(question, str(choice.id))
        answer._save_lines(
            self.env.ref("atelier_crm.survey_qualification_q_notes"), "Rappeler mardi."
        )
        answer._mark_done()
        return answer

    def test_script_fills_the_opportunity_and_moves_the_stage(self):
        lead = self._mql_lead("Karim Benali", "karim.benali@example.com")
        user = lead.user_id
        leads_before = self.Lead.search_count([])
        self._answer(
            lead,
            user,
            [
                ("survey_qualification_q_profile", "survey_qualification_a_learner"),
                ("survey_qualification_q_need", "survey_qualification_a_expert"),
                ("survey_qualification_q_timeline", "survey_qualification_a_month"),
            ],
        )
        self.assertEqual(self.Lead.search_count([]), leads_before, "no new lead")
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.atelier_need, "coaching_expert")
        self.assertEqual(lead.atelier_timeline, "month")
        self.assertEqual(lead.expected_revenue, 1490)
        self.assertEqual(
            lead.stage_id, self.env.ref("atelier_crm.crm_stage_individuals_proposal")
        )
        self.assertTrue(lead.atelier_sql_date)
        self.assertEqual(lead.atelier_funnel, "sql")
        self.assertFalse(
            lead.activity_ids.filtered(lambda a: a.activity_type_id == self.advisory),
            "the advisory call is done",
        )
        self.assertIn("Rappeler mardi.", "".join(lead.message_ids.mapped("body")))
        lead.action_set_won()
        self.assertEqual(lead.atelier_funnel, "won")

    def test_a_garage_goes_to_the_partners_pipeline(self):
        lead = self._mql_lead("Garage du Parc", "contact@garage-parc.example.com")
        self._answer(
            lead,
            lead.user_id,
            [
                ("survey_qualification_q_profile", "survey_qualification_a_garage"),
                ("survey_qualification_q_need", "survey_qualification_a_partnership"),
                ("survey_qualification_q_timeline", "survey_qualification_a_quarter"),
            ],
        )
        self.assertEqual(lead.atelier_profile, "garage")
        self.assertEqual(lead.team_id, self.team_b2b)
        self.assertEqual(
            lead.stage_id, self.env.ref("atelier_crm.crm_stage_partners_qualified")
        )

    def test_nothing_for_now_ends_lost_with_a_reason(self):
        lead = self._mql_lead("Pas Maintenant", "pas.maintenant@example.com")
        self._answer(
            lead,
            lead.user_id,
            [
                ("survey_qualification_q_profile", "survey_qualification_a_individual"),
                ("survey_qualification_q_need", "survey_qualification_a_nothing"),
                ("survey_qualification_q_timeline", "survey_qualification_a_later"),
            ],
        )
        self.assertEqual(lead.won_status, "lost")
        self.assertEqual(
            lead.lost_reason_id, self.env.ref("atelier_crm.crm_lost_reason_not_now")
        )
        self.assertFalse(lead.atelier_sql_date)
        self.assertEqual(lead.atelier_funnel, "lost")

    def test_only_who_can_write_the_lead_starts_the_script(self):
        lead = self._mql_lead("Secret", "secret@example.com")
        other_team = self.sales_b2b
        with self.assertRaises(AccessError):
            lead.with_user(other_team).action_atelier_start_qualification()
        with self.assertRaises(AccessError):
            lead.with_user(self.portal).action_atelier_start_qualification()
