# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierCall(models.Model):
    _inherit = "atelier.call"

    crm_lead_id = fields.Many2one(
        "crm.lead",
        string="Lead",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        readonly=True,
    )

    def action_new_lead(self):
        """A short lead form for the caller, prefilled with the number;
        saving it creates (or finds) the contact and links the call."""
        self.ensure_one()
        self.check_access("write")
        self.env["crm.lead"].check_access("create")
        source = self.env.ref("atelier_crm.utm_source_phone", raise_if_not_found=False)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New lead"),
            "res_model": "crm.lead",
            "views": [
                [self.env.ref("atelier_crm_cti.crm_lead_view_form_call").id, "form"]
            ],
            "target": "new",
            "context": {
                "default_name": self.env._(
                    "Call from %(caller)s",
                    caller=self.partner_id.display_name or self.partner_number or "?",
                ),
                "default_phone": self.partner_number or False,
                "default_partner_id": self.partner_id.id or False,
                "default_atelier_channel": "phone",
                "default_source_id": source.id if source else False,
                "atelier_crm_link_call_id": self.id,
            },
        }

    def action_open_lead(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.crm_lead_id.id,
            "views": [[False, "form"]],
        }
