# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, fields, models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    atelier_default_type_id = fields.Many2one(
        "helpdesk.ticket.type",
        string="Default type",
        help="Type given to tickets reaching this team without one "
        "(e-mails to the team's alias), so that its SLA applies.",
    )
    atelier_send_ack = fields.Boolean(
        string="Acknowledge new tickets",
        default=True,
        help="Send the acknowledgement to the client when an e-mail or a portal "
        "request creates a ticket (never to automatic senders).",
    )
    atelier_ack_template_id = fields.Many2one(
        "mail.template",
        string="Acknowledgement template",
        domain=[("model", "=", "helpdesk.ticket")],
    )

    def _atelier_manager(self):
        """User alerted about this team's tickets: the team leader, else the
        first Atelier manager (never the superuser)."""
        self.ensure_one()
        if self.user_id and self.user_id.active:
            return self.user_id
        return self._atelier_fallback_manager()

    def _atelier_fallback_manager(self):
        group = self.env.ref("atelier_base.group_manager", raise_if_not_found=False)
        users = group.sudo().all_user_ids if group else self.env["res.users"]
        users = users.filtered(lambda u: u.active and u.id != SUPERUSER_ID)
        return users.sorted("id")[:1]
