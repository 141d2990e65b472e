# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import secrets

from odoo import fields, models
from odoo.exceptions import UserError

MIN_SECRET_LENGTH = 16


def _new_secret():
    return secrets.token_hex(32)


class AtelierCtiLineSecret(models.TransientModel):
    """Set the HMAC secret of a line: the only place it is ever typed or shown.

    The line's form shows whether a secret is set, never its value.
    """

    _name = "atelier.cti.line.secret"
    _description = "Set a telephony line's secret"

    line_id = fields.Many2one("atelier.cti.line", required=True, ondelete="cascade")
    secret = fields.Char(
        required=True,
        default=lambda self: _new_secret(),
        help="A random secret is proposed: copy it into the telephony system's "
        "configuration now, it will not be shown again.",
    )

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group("base.group_system"):
            raise UserError(self.env._("Only administrators can set a line's secret."))
        secret = (self.secret or "").strip()
        if len(secret) < MIN_SECRET_LENGTH:
            raise UserError(
                self.env._(
                    "The secret must be at least %(length)s characters long.",
                    length=MIN_SECRET_LENGTH,
                )
            )
        self.line_id.sudo().secret = secret
        # do not keep the secret in the wizard's table
        self.secret = "-"
        return {"type": "ir.actions.act_window_close"}
