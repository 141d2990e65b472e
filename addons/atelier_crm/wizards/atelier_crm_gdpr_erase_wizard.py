# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError


class AtelierCrmGdprEraseWizard(models.TransientModel):
    _name = "atelier.crm.gdpr.erase.wizard"
    _description = "Erase a contact's personal data"

    partner_id = fields.Many2one("res.partner", required=True, readonly=True)
    confirmation = fields.Char(
        help="Type the contact's name to confirm: erasing cannot be undone."
    )

    def action_erase(self):
        self.ensure_one()
        self.partner_id._atelier_check_gdpr_rights()
        if (self.confirmation or "").strip() != self.partner_id.name:
            raise UserError(self.env._("Type the contact's exact name to confirm."))
        counts = self.partner_id._atelier_gdpr_erase("backoffice")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Personal data erased (%(summary)s).",
                    summary=", ".join(f"{k}: {v}" for k, v in counts.items()),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
