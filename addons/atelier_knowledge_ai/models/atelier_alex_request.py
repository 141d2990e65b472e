# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class AtelierAlexRequest(models.Model):
    """A question Alex passed on to the desk when no ticket could be opened
    (a visitor of the website, or no helpdesk): the desk calls back."""

    _name = "atelier.alex.request"
    _description = "Contact request from Alex"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    contact_name = fields.Char(string="Name", required=True, tracking=True)
    email = fields.Char()
    phone = fields.Char()
    partner_id = fields.Many2one(
        "res.partner", string="Contact", index="btree_not_null"
    )
    question = fields.Text(required=True)
    answer = fields.Text(string="Alex's answer")
    body = fields.Html(string="Details", sanitize=True, readonly=True)
    state = fields.Selection(
        [("new", "To call back"), ("done", "Done")],
        default="new",
        required=True,
        tracking=True,
        index=True,
    )
    user_id = fields.Many2one("res.users", string="Handled by", tracking=True)

    @api.depends("contact_name")
    def _compute_display_name(self):
        for request in self:
            request.display_name = self.env._(
                "Request %(number)s — %(name)s",
                number=request.id or "",
                name=request.contact_name or "",
            )

    def action_done(self):
        self.check_access("write")
        self.write({"state": "done", "user_id": self.env.uid})
        return True
