# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    # a ticket opened from the pop-up shows at once on the caller's card
    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "atelier.card.mixin"]

    atelier_call_id = fields.Many2one(
        "atelier.call",
        string="Originating call",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
    )

    def _atelier_routing_field_names(self):
        return super()._atelier_routing_field_names() + ["atelier_call_id"]

    @api.model
    def _atelier_routing_hints(self, vals):
        """The telephony line comes first: the line of the call the ticket
        is opened from, or the one the pop-up passes in the context."""
        hints = super()._atelier_routing_hints(vals)
        line = self._atelier_cti_line(vals)
        if line.atelier_helpdesk_team_id or line.atelier_helpdesk_type_id:
            hints.insert(
                0, (line.atelier_helpdesk_team_id, line.atelier_helpdesk_type_id)
            )
        return hints

    @api.model
    def _atelier_cti_line(self, vals):
        Line = self.env["atelier.cti.line"].sudo()
        if vals.get("atelier_call_id"):
            call = self.env["atelier.call"].sudo().browse(vals["atelier_call_id"])
            if call.exists() and call.line_id:
                return call.line_id
        line_id = self.env.context.get("atelier_cti_line_id")
        if isinstance(line_id, int):
            return Line.browse(line_id).exists()
        return Line
