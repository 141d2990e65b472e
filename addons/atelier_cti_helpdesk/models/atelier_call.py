# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models


class AtelierCall(models.Model):
    _inherit = "atelier.call"

    ticket_ids = fields.One2many(
        "helpdesk.ticket", "atelier_call_id", string="Tickets", readonly=True
    )
    ticket_count = fields.Integer(compute="_compute_ticket_count")

    @api.depends("ticket_ids")
    def _compute_ticket_count(self):
        for call in self:
            call.ticket_count = len(call.ticket_ids)

    def _atelier_ticket_defaults(self):
        """Values of a ticket opened from this call."""
        self.ensure_one()
        caller = self.partner_id.display_name or self.partner_number or ""
        context = {
            "default_atelier_call_id": self.id,
            "atelier_cti_line_id": self.line_id.id,
            "default_atelier_channel": "phone",
            "default_name": self.env._("Call from %(caller)s", caller=caller),
            "default_description": Markup("<p>%s</p>")
            % self.env._("Opened during the call of %(caller)s.", caller=caller),
        }
        if self.partner_id:
            context["default_partner_id"] = self.partner_id.id
        return context

    def action_new_ticket(self):
        """A ticket form prefilled with the caller, linked to the call."""
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New ticket"),
            "res_model": "helpdesk.ticket",
            "views": [[False, "form"]],
            "target": "current",
            "context": self._atelier_ticket_defaults(),
        }

    def action_view_tickets(self):
        self.ensure_one()
        self.check_access("read")
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Tickets"),
            "res_model": "helpdesk.ticket",
            "domain": [("atelier_call_id", "=", self.id)],
            "views": [[False, "list"], [False, "form"]],
            "context": self._atelier_ticket_defaults(),
        }
        if self.ticket_count == 1:
            action.update(views=[[False, "form"]], res_id=self.ticket_ids.id)
        return action
