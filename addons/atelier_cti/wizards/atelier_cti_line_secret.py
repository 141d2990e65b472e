# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

MIN_SECRET_LENGTH = 16


def _new_secret():
    return secrets.token_hex(32)


class AtelierCtiLineSecret(models.TransientModel):
    """Generate or rotate the HMAC secret of a line: the only place it is
    ever shown, once.

    The line's form shows whether a secret is set, never its value. On a
    rotation the old secret can stay valid for a while, so that the
    telephony system is updated without losing events.
    """

    _name = "atelier.cti.line.secret"
    _description = "Set a telephony line's secret"

    line_id = fields.Many2one("atelier.cti.line", required=True, ondelete="cascade")
    rotation = fields.Boolean(compute="_compute_rotation")
    secret = fields.Char(
        required=True,
        default=lambda self: _new_secret(),
        help="A random secret is proposed: copy it into the telephony system's "
        "configuration now, it will not be shown again.",
    )
    grace = fields.Selection(
        [
            ("0", "No: refuse it at once"),
            ("1", "For 1 hour"),
            ("24", "For 24 hours"),
        ],
        string="Keep accepting the old secret",
        default="1",
        required=True,
        help="During a rotation, events signed with the old secret are still "
        "accepted for this long: time to update the telephony system.",
    )

    @api.depends("line_id")
    def _compute_rotation(self):
        for wizard in self:
            wizard.rotation = wizard.line_id.secret_set

    def action_apply(self):
        self.ensure_one()
        self.line_id._check_admin()
        secret = (self.secret or "").strip()
        if len(secret) < MIN_SECRET_LENGTH:
            raise UserError(
                self.env._(
                    "The secret must be at least %(length)s characters long.",
                    length=MIN_SECRET_LENGTH,
                )
            )
        line = self.line_id.sudo()
        vals = {"secret": secret, "previous_secret": False}
        vals["previous_secret_expiry"] = False
        hours = int(self.grace or 0)
        if line.secret and line.secret != secret and hours:
            vals.update(
                previous_secret=line.secret,
                previous_secret_expiry=fields.Datetime.now() + timedelta(hours=hours),
            )
        line.write(vals)
        # do not keep the secret in the wizard's table
        self.secret = "-"
        return {"type": "ir.actions.act_window_close"}
