# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.fields import Domain

# a career event that ends a follow-up well: the J+7 e-mail asked for it
CAREER_CONVERSIONS = frozenset({"career_interview"})


class AtelierCrmEnrolment(models.Model):
    _inherit = "atelier.crm.enrolment"

    origin = fields.Selection(
        selection_add=[("career", "CV follow-up")],
        ondelete={"career": "set default"},
    )
    stop_reason = fields.Selection(
        selection_add=[
            ("career_interview", "Started an interview"),
            ("career_cv", "Worked on a CV again"),
        ],
        ondelete={"career_interview": "set null", "career_cv": "set null"},
    )

    @api.model
    def _atelier_stop(self, reason, **kwargs):
        stopped = super()._atelier_stop(reason, **kwargs)
        if stopped and reason in CAREER_CONVERSIONS:
            # as the CRM does for its conversions: the last e-mail sent converted
            logs = (
                self.env["atelier.crm.enrolment.step"]
                .sudo()
                .search(
                    [("enrolment_id", "in", stopped), ("state", "=", "sent")],
                    order="processed_at desc, id desc",
                )
            )
            latest = {}
            for log in logs:
                latest.setdefault(log.enrolment_id.id, log)
            if latest:
                logs.browse([log.id for log in latest.values()]).write({"converted": 1})
        return stopped

    @api.model
    def _atelier_career_stop(self, users, reason):
        """Stop the running career follow-ups of these learners (matched by
        their contact or their address) with the CRM's stop mechanism."""
        partners = users.sudo().partner_id
        emails = [e for e in partners.mapped("email_normalized") if e]
        if not partners:
            return []
        enrolments = self.sudo().search(
            Domain("state", "=", "active")
            & Domain("sequence_id.atelier_career_stop", "=", True)
            & (Domain("partner_id", "in", partners.ids) | Domain("email", "in", emails))
        )
        if not enrolments:
            return []
        return self.sudo()._atelier_stop(reason, enrolment_ids=enrolments.ids)
