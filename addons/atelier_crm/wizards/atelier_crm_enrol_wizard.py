# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError


class AtelierCrmEnrolWizard(models.TransientModel):
    """Enrol leads by hand; the consent given on the phone is logged."""

    _name = "atelier.crm.enrol.wizard"
    _description = "Enrol in a sequence"

    lead_ids = fields.Many2many("crm.lead", string="Leads", required=True)
    sequence_id = fields.Many2one("atelier.crm.sequence", required=True)
    consent_given = fields.Boolean(
        string="The contact agreed on the phone",
        help="Logs their consent to advice e-mails, with the text below.",
    )
    consent_text = fields.Text(
        default=lambda self: self.env._(
            "Agreed on the phone to receive advice e-mails; "
            "can unsubscribe at any time."
        )
    )

    def action_enrol(self):
        self.ensure_one()
        # every lead chosen, those the caller may not see included: the
        # check refuses them rather than leaving them out silently
        leads = self.sudo().lead_ids.with_env(self.env)
        leads.check_access("write")
        Consent = self.env["atelier.crm.consent"]
        if self.consent_given:
            for lead in leads.filtered("email_normalized"):
                Consent._atelier_log(
                    [lead.email_normalized],
                    "sequence",
                    "granted",
                    "phone",
                    text=self.consent_text,
                    partner_id=lead.partner_id.id,
                    lead_id=lead.id,
                )
        granted = Consent._atelier_granted(leads.mapped("email_normalized"), "sequence")
        refused = leads.filtered(lambda lead: lead.email_normalized not in granted)
        if refused:
            raise UserError(
                self.env._(
                    "These contacts have not agreed to advice e-mails: %(names)s. "
                    "Tick the box when they agreed on the phone.",
                    names=", ".join(refused.mapped("display_name")),
                )
            )
        enrolments = self.sequence_id.sudo()._atelier_enrol(leads, origin="manual")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s lead(s) enrolled in %(sequence)s.",
                    count=len(enrolments),
                    sequence=self.sequence_id.name,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
