# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .crm_stage import STAGE_ROLES


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    def _mark_done(self):
        res = super()._mark_done()
        self.filtered(
            lambda answer: answer.lead_id and answer.survey_id.atelier_is_qualification
        )._atelier_apply_qualification()
        return res

    def _create_leads_from_generative_answers(self):
        # a qualification script works on its own lead, never a new one
        return super(
            SurveyUserInput, self.filtered(lambda answer: not answer.lead_id)
        )._create_leads_from_generative_answers()

    def _atelier_fill_url(self):
        self.ensure_one()
        return (
            f"/survey/start/{self.survey_id.access_token}"
            f"?answer_token={self.access_token}"
        )

    def _atelier_apply_qualification(self):
        """The answers become the opportunity's fields; the furthest stage
        an answer reaches is where it goes, or a lost reason ends it."""
        order = [role for role, _label in STAGE_ROLES]
        now = fields.Datetime.now()
        activity_type = self.env.ref("atelier_crm.mail_activity_type_advisory_call")
        for answer in self.sudo():
            lead = answer.lead_id.with_context(atelier_crm_no_fit=False)
            vals = {}
            roles = []
            lost_reason = self.env["crm.lost.reason"]
            for line in answer.user_input_line_ids.filtered(
                lambda line: not line.skipped and line.suggested_answer_id
            ):
                choice = line.suggested_answer_id
                target = line.question_id.atelier_lead_field
                if target and choice.atelier_value:
                    vals[target] = choice.atelier_value
                if choice.atelier_expected_revenue:
                    vals["expected_revenue"] = choice.atelier_expected_revenue
                if choice.atelier_stage_role:
                    roles.append(choice.atelier_stage_role)
                lost_reason = lost_reason or choice.atelier_lost_reason_id
            summary = answer._prepare_lead_values_from_user_input_lines()["description"]
            profile = vals.get("atelier_profile")
            if profile:
                team = self.env["crm.team"]._atelier_team_for_profile(profile)
                if team and team != lead.team_id:
                    vals["team_id"] = team.id
            if lead.type != "opportunity":
                vals["type"] = "opportunity"
            if not lost_reason:
                vals["atelier_sql_date"] = now
            lead.write(vals)
            if lost_reason:
                lead.action_set_lost(lost_reason_id=lost_reason.id)
            elif roles:
                role = max(roles, key=order.index)
                stage = lead.team_id._atelier_stage(role) if lead.team_id else False
                if stage:
                    lead.stage_id = stage
            lead.message_post(
                body=summary, message_type="comment", subtype_xmlid="mail.mt_note"
            )
            calls = lead.activity_ids.filtered(
                lambda activity: activity.activity_type_id == activity_type
            )
            if calls:
                calls.action_feedback(
                    feedback=self.env._("Qualification script filled in.")
                )
