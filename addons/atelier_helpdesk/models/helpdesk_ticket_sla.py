# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskTicketSla(models.Model):
    _inherit = "helpdesk.ticket.sla"

    atelier_kind = fields.Selection(related="sla_id.atelier_kind", store=True)
    atelier_warning_date = fields.Datetime(
        string="Warning date", compute="_compute_atelier_warning_date", store=True
    )
    atelier_warned = fields.Boolean(string="Warned", readonly=True, copy=False)

    @api.depends("deadline", "sla_id.atelier_warning_hours")
    def _compute_atelier_warning_date(self):
        for line in self:
            calendar = line.ticket_id.team_id.resource_calendar_id
            hours = line.sla_id.atelier_warning_hours
            if not line.deadline:
                line.atelier_warning_date = False
            elif calendar and hours > 0:
                line.atelier_warning_date = (
                    calendar.plan_hours(-hours, line.deadline, compute_leaves=True)
                    or line.deadline
                )
            else:
                line.atelier_warning_date = line.deadline

    @api.depends("sla_id")
    def _compute_sla_data(self):
        res = super()._compute_sla_data()
        for line in self.filtered(lambda r: r.atelier_kind == "first_response"):
            # OCA compares stage sequences: without an expected stage a
            # first-response target would be "accomplished" at creation.
            line.expected_stage_id = False
            line.last_state_date = line.ticket_id.create_date
            answered = line.ticket_id.atelier_first_response_date
            line.state = "accomplished" if answered else "in_progress"
        return res

    def _stage_recompute(self):
        if self.atelier_kind != "first_response":
            return super()._stage_recompute()
        # A first response is settled by a reply, not by a stage; closing the
        # ticket without any reply settles it against the deadline.
        if self.state == "in_progress" and self.ticket_id.stage_id.closed:
            self._atelier_settle(fields.Datetime.now())
        return None

    def _atelier_settle(self, when):
        """Close in-progress lines at ``when``: met if on time, else breached."""
        for line in self.filtered(lambda r: r.state in ("in_progress", "on_hold")):
            on_time = not line.deadline or when <= line.deadline
            line.state = "accomplished" if on_time else "expired"
