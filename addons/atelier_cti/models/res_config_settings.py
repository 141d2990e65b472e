# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    atelier_cti_webhook_url = fields.Char(
        string="Telephony webhook URL", compute="_compute_atelier_cti_connection"
    )
    atelier_cti_line_count = fields.Integer(
        string="Telephony lines", compute="_compute_atelier_cti_connection"
    )
    atelier_cti_line_id = fields.Many2one(
        "atelier.cti.line",
        string="Telephony line",
        default=lambda self: self.env["atelier.cti.line"].search([], limit=1),
        help="The line the secret and test buttons act on.",
    )
    atelier_cti_line_secret_set = fields.Boolean(
        related="atelier_cti_line_id.secret_set", string="Line secret set"
    )

    def _compute_atelier_cti_connection(self):
        url = self.env["atelier.cti.line"]._webhook_url()
        count = self.env["atelier.cti.line"].search_count([])
        for settings in self:
            settings.atelier_cti_webhook_url = url
            settings.atelier_cti_line_count = count

    def action_atelier_cti_set_secret(self):
        self.ensure_one()
        return self._atelier_cti_line().action_set_secret()

    def action_atelier_cti_send_test_event(self):
        self.ensure_one()
        return self._atelier_cti_line().action_send_test_event()

    def _atelier_cti_line(self):
        self.env["atelier.cti.line"]._check_admin()
        if not self.atelier_cti_line_id:
            raise UserError(self.env._("Choose a telephony line first."))
        return self.atelier_cti_line_id
