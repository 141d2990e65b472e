# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    atelier_call_ids = fields.One2many(
        "atelier.call", "crm_lead_id", string="Calls", readonly=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        call_id = self.env.context.get("atelier_crm_link_call_id")
        if call_id and len(leads) == 1:
            # "New lead" from the pop-up: the call belongs to the lead and
            # to its contact (found by the number, or just created)
            call = self.env["atelier.call"].browse(call_id).exists()
            if call and call.has_access("write"):
                call.sudo().write(
                    {
                        "crm_lead_id": leads.id,
                        "partner_id": leads.partner_id.id or call.partner_id.id,
                    }
                )
                leads._atelier_add_score("call", detail=call.name)
        return leads
