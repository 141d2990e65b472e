# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from .atelier_call import RECENT_CALLS


class ResPartner(models.Model):
    _inherit = "res.partner"

    atelier_call_ids = fields.One2many("atelier.call", "partner_id", string="Calls")
    atelier_call_count = fields.Integer(
        string="Call count", compute="_compute_atelier_call_count"
    )

    def _compute_atelier_call_count(self):
        counts = {}
        if self.env["atelier.call"].has_access("read"):
            counts = dict(
                self.env["atelier.call"]._read_group(
                    [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
                )
            )
        for partner in self:
            partner.atelier_call_count = counts.get(partner, 0)

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        call_id = self.env.context.get("atelier_cti_link_call_id")
        if call_id and len(partners) == 1:
            # "new contact" from the pop-up: the call belongs to it
            call = self.env["atelier.call"].browse(call_id).exists()
            if call and call.has_access("write"):
                call.sudo().partner_id = partners
        return partners

    def action_atelier_view_calls(self):
        self.ensure_one()
        self.env["atelier.call"].check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "atelier_cti.atelier_call_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"search_default_group_by_state": 0}
        return action

    def action_atelier_dial(self):
        """Click-to-dial on the contact's mobile, else phone."""
        self.ensure_one()
        Call = self.env["atelier.call"]
        Call._atelier_check_can_dial()
        number = (
            self.env.context.get("atelier_dial_number") or self.mobile or self.phone
        )
        if not number:
            raise UserError(self.env._("This contact has no phone number."))
        return Call._atelier_dial_action(Call.atelier_dial(number, self.id))

    def _atelier_card_audience(self):
        """Also the users with a pop-up of these contacts: for each contact,
        the users its calls of the last hour were routed to or answered by."""
        audience = super()._atelier_card_audience()
        since = fields.Datetime.now() - timedelta(hours=1)
        calls = (
            self.env["atelier.call"]
            .sudo()
            .search_fetch(
                [("partner_id", "in", self.ids), ("start_at", ">=", since)],
                ["partner_id", "routed_user_ids", "user_id"],
            )
        )
        for call in calls:
            for user in call.routed_user_ids | call.user_id:
                audience[user] = audience.get(user, self.browse()) | call.partner_id
        return audience

    def _atelier_card_sections(self):
        sections = super()._atelier_card_sections()
        Call = self.env["atelier.call"]
        if not Call.has_access("read"):
            return sections
        domain = [("partner_id", "=", self.id)]
        calls = Call.search(domain, limit=RECENT_CALLS)
        states = dict(Call._fields["state"]._description_selection(self.env))
        colors = {"missed": "danger", "ringing": "warning", "answered": "info"}
        items = [
            {
                "label": fields.Datetime.context_timestamp(
                    self, call.start_at
                ).strftime("%d/%m %H:%M")
                if call.start_at
                else "",
                "value": (call.user_id.name or call.partner_number or "")
                + (
                    f" ({call.duration // 60}:{call.duration % 60:02d})"
                    if call.duration
                    else ""
                ),
                "res_model": "atelier.call",
                "res_id": call.id,
                "badge": states.get(call.state),
                "badge_color": colors.get(call.state, "success"),
            }
            for call in calls
        ]
        sections.append(
            {
                "key": "calls",
                "title": self.env._("Recent calls"),
                "sequence": 10,
                "type": "list",
                "items": items,
                "count": Call.search_count(domain),
                "action": self.action_atelier_view_calls(),
            }
        )
        return sections
