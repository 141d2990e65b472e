# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models

from odoo.addons.atelier_career.models.atelier_career_cv import (
    CONTENT_FIELDS,
    FOLLOWUP_DAYS,
)

# a write that means the learner is working on their CV again
ACTIVITY_FIELDS = CONTENT_FIELDS | {"edited_date", "exported_date"}


class AtelierCareerCv(models.Model):
    _inherit = "atelier.career.cv"

    def write(self, vals):
        res = super().write(vals)
        if ACTIVITY_FIELDS & set(vals):
            self.env["atelier.crm.enrolment"]._atelier_career_stop(
                self.sudo().user_id, "career_cv"
            )
        return res

    @api.model
    def _cron_followup(self):
        # unsubscribing is honoured everywhere: a learner whose address opted
        # out of advice e-mails (or of everything) gets no check-in either;
        # their CVs count as followed up so that nothing goes later
        limit = fields.Datetime.now() - timedelta(days=FOLLOWUP_DAYS)
        due = self.sudo().search(
            [
                ("exported_date", "!=", False),
                ("exported_date", "<=", limit),
                ("followup_date", "=", False),
            ]
        )
        opted_out = self._atelier_opted_out(due.user_id.partner_id)
        skipped = due.filtered(
            lambda cv: cv.user_id.partner_id.email_normalized in opted_out
        )
        if skipped:
            skipped.write({"followup_date": fields.Datetime.now()})
        return super()._cron_followup()

    @api.model
    def _atelier_opted_out(self, partners):
        """The addresses of ``partners`` that withdrew their consent to advice
        e-mails or are on the blacklist."""
        emails = {e for e in partners.mapped("email_normalized") if e}
        if not emails:
            return set()
        status = self.env["atelier.crm.consent"]._atelier_status(
            emails, "sequence", normalized=True
        )
        blacklisted = (
            self.env["mail.blacklist"]
            .sudo()
            .search([("email", "in", list(emails))])
            .mapped("email")
        )
        return {e for e, action in status.items() if action == "withdrawn"} | set(
            blacklisted
        )

    def _atelier_followup_hook(self, cvs):
        cvs = super()._atelier_followup_hook(cvs)
        self._atelier_crm_followup(cvs)
        return cvs

    def _atelier_crm_followup(self, cvs):
        """One lead per learner (created or updated the CRM way, source "CV
        follow-up") and, when their address agreed to advice e-mails, one
        enrolment in the CV follow-up sequence; an address that opted out
        gets nothing. Returns the enrolments made."""
        Enrolment = self.env["atelier.crm.enrolment"].sudo()
        sequence = self.env.ref(
            "atelier_career_crm.sequence_cv_followup", raise_if_not_found=False
        )
        if not (sequence and sequence.active and sequence.step_ids and cvs):
            return Enrolment
        # the most recent CV of each learner speaks for them
        by_user = {}
        for cv in cvs.sudo().sorted(lambda cv: cv.exported_date, reverse=True):
            by_user.setdefault(cv.user_id, cv)
        emails = {
            user.partner_id.email_normalized
            for user in by_user
            if user.partner_id.email_normalized
        }
        if not emails:
            return Enrolment
        granted = self.env["atelier.crm.consent"]._atelier_granted(
            emails, "sequence", normalized=True
        )
        opted_out = self._atelier_opted_out(cvs.sudo().user_id.partner_id)
        source = self.env.ref("atelier_career_crm.utm_source_cv_followup")
        Lead = self.env["crm.lead"].sudo()
        enrolments = Enrolment
        for user, cv in by_user.items():
            partner = user.partner_id
            email = partner.email_normalized
            if not email or email in opted_out:
                continue
            lead = Lead._atelier_capture(
                {
                    "name": partner.name,
                    "email": partner.email,
                    "phone": partner.phone or cv.phone,
                    "city": partner.city or cv.city,
                    "profile": "learner",
                    "lead_name": self.env._("%(who)s - CV follow-up", who=partner.name),
                    "source": source,
                    "description": Markup("<p>%s</p>")
                    % self.env._(
                        "CV “%(cv)s” exported and untouched for 14 days.",
                        cv=cv.name,
                    ),
                },
                "career",
            )
            if email in granted:
                enrolments |= sequence._atelier_enrol(lead, origin="career")
            else:
                lead.message_post(
                    body=self.env._(
                        "Not enrolled in the CV follow-up sequence: this address "
                        "has not agreed to advice e-mails."
                    ),
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )
        return enrolments
