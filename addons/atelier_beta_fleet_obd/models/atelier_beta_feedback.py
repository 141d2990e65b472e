# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AtelierBetaFeedback(models.Model):
    _inherit = "atelier.beta.feedback"

    session_id = fields.Many2one(
        "atelier.obd.session",
        string="Diagnostic session",
        ondelete="set null",
        index="btree_not_null",
        help="The session the tester attached: what the app read when it happened.",
    )

    @api.model
    def _atelier_tester_sessions(self, signup, limit=20):
        """The diagnostic sessions of ``signup``'s vehicles, newest first."""
        partner = signup.partner_id
        if not partner:
            return self.env["atelier.obd.session"]
        return (
            self.env["atelier.obd.session"]
            .sudo()
            .search(
                [
                    "|",
                    ("partner_id", "=", partner.id),
                    ("partner_id", "=", partner.commercial_partner_id.id),
                ],
                order="started_at desc, id desc",
                limit=limit,
            )
        )

    @api.model
    def _atelier_post_extra(self, signup, vals):
        extra = super()._atelier_post_extra(signup, vals)
        raw = str(vals.get("session_id") or "").strip()
        if not raw:
            return extra
        if not raw.isdigit():
            raise ValidationError(
                self.env._("This diagnostic session is not one of yours.")
            )
        session = self.env["atelier.obd.session"].sudo().browse(int(raw)).exists()
        owner = session.partner_id
        partner = signup.partner_id
        if (
            not session
            or not partner
            or owner not in (partner, partner.commercial_partner_id)
        ):
            raise ValidationError(
                self.env._("This diagnostic session is not one of yours.")
            )
        extra["session_id"] = session.id
        return extra
