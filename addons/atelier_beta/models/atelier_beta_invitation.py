# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL, consteq

_logger = logging.getLogger(__name__)

MIN_PASSWORD = 8


class AtelierBetaInvitation(models.Model):
    """An invitation to the beta: drawn in a batch, sent, then accepted or
    expired.

    The link carries ``<id>.<expiry>.<signature>``, signed with the database
    secret: a forged link, one of an invitation sent again (its expiry
    changed), an expired one or one already accepted opens nothing. The
    acceptance moves the row from "sent" to "accepted" in one UPDATE: two
    clicks at once accept once.
    """

    _name = "atelier.beta.invitation"
    _description = "Beta invitation"
    _order = "id desc"
    _rec_name = "signup_id"

    signup_id = fields.Many2one(
        "atelier.beta.signup",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    batch_id = fields.Many2one(
        "atelier.beta.batch",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    state = fields.Selection(
        [
            ("draft", "Drawn"),
            ("sent", "Sent"),
            ("accepted", "Accepted"),
            ("expired", "Expired"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        index=True,
    )
    sent_at = fields.Datetime(readonly=True)
    expires_at = fields.Datetime(readonly=True)
    accepted_at = fields.Datetime(readonly=True)
    fuel_type = fields.Selection(related="signup_id.fuel_type")
    region = fields.Selection(related="signup_id.region")
    profile = fields.Selection(related="signup_id.profile")
    accept_url = fields.Char(compute="_compute_accept_url", groups="base.group_system")

    _open_uniq = models.UniqueIndex(
        "(signup_id) WHERE state IN ('draft', 'sent')",
        "A person has one open invitation.",
    )

    @api.depends("state", "expires_at")
    def _compute_accept_url(self):
        for invitation in self:
            invitation.accept_url = (
                invitation._atelier_url() if invitation.state == "sent" else False
            )

    # ------------------------------------------------------------------
    # Tokens
    # ------------------------------------------------------------------
    def _atelier_signature(self, expiry):
        self.ensure_one()
        message = f"{self.id}.{expiry}.{self.signup_id.id}"
        return tools.hmac(self.env(su=True), "atelier_beta-invitation", message)[:40]

    def _atelier_token(self):
        self.ensure_one()
        expiry = int(self.expires_at.timestamp())
        return f"{self.id}.{expiry}.{self._atelier_signature(expiry)}"

    def _atelier_url(self):
        self.ensure_one()
        return f"{self.get_base_url()}/beta/invitation/{self._atelier_token()}"

    @api.model
    def _atelier_from_token(self, token):
        """``(invitation, status)``: status "ok", "invalid" (forged, garbled,
        cancelled), "used" (accepted already) or "expired"."""
        parts = (token or "").split(".")
        if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
            return self.browse(), "invalid"
        invitation = self.sudo().browse(int(parts[0])).exists()
        if not invitation or not invitation.expires_at:
            return self.browse(), "invalid"
        if int(invitation.expires_at.timestamp()) != int(parts[1]) or not consteq(
            invitation._atelier_signature(int(parts[1])), parts[2]
        ):
            return self.browse(), "invalid"
        if invitation.state == "accepted":
            return invitation, "used"
        if invitation.state == "expired" or (
            invitation.state == "sent"
            and invitation.expires_at <= fields.Datetime.now()
        ):
            return invitation, "expired"
        if invitation.state != "sent":
            return self.browse(), "invalid"
        return invitation, "ok"

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    def _atelier_send(self):
        now = fields.Datetime.now()
        template = self.env.ref("atelier_beta.mail_template_invitation")
        for invitation in self.sudo():
            invitation.write(
                {
                    "state": "sent",
                    "sent_at": now,
                    "expires_at": now
                    + timedelta(days=invitation.batch_id.validity_days),
                }
            )
            invitation.signup_id.write(
                {
                    "state": "invited",
                    "invited_at": now,
                    "batch_id": invitation.batch_id.id,
                }
            )
            template.send_mail(
                invitation.id, email_layout_xmlid="mail.mail_notification_light"
            )

    def _atelier_needs_password(self):
        """Whether accepting creates the account (no user for the contact)."""
        self.ensure_one()
        partner = self.sudo().signup_id.partner_id
        return not partner.with_context(active_test=False).user_ids

    def _atelier_accept(self, token, password=None):
        """Accept the invitation of ``token``; returns ``(invitation,
        status, login)``: status "accepted", "invalid", "used", "expired" or
        "password" (too short), login of the account to sign in with."""
        invitation, status = self._atelier_from_token(token)
        if status != "ok":
            return invitation, status, None
        signup = invitation.signup_id
        partner = signup.partner_id
        creating = invitation._atelier_needs_password()
        if creating and len(password or "") < MIN_PASSWORD:
            return invitation, "password", None
        if creating:
            Users = self.env["res.users"].sudo().with_context(active_test=False)
            if Users.search_count([("login", "=", signup.email)], limit=1):
                raise UserError(
                    self.env._(
                        "An account already uses this address: sign in and open the "
                        "invitation again, or write to us."
                    )
                )
        now = fields.Datetime.now()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE atelier_beta_invitation
                      SET state = 'accepted', accepted_at = %(now)s,
                          write_date = %(now)s
                    WHERE id = %(id)s AND state = 'sent' AND expires_at > %(now)s
                RETURNING id""",
                now=now,
                id=invitation.id,
            )
        )
        won = self.env.cr.fetchone()
        invitation.invalidate_recordset()
        if not won:
            return (
                invitation,
                "used" if invitation.state == "accepted" else "expired",
                None,
            )
        if creating:
            user = (
                self.env["res.users"]
                .sudo()
                .with_context(no_reset_password=True)
                ._create_user_from_template(
                    {
                        "login": signup.email,
                        "email": signup.email,
                        "name": signup.name or partner.name,
                        "partner_id": partner.id,
                        "password": password,
                    }
                )
            )
        else:
            user = partner.with_context(active_test=False).user_ids[:1]
        signup.write({"state": "tester", "accepted_at": now, "user_id": user.id})
        signup._atelier_grant_referral_badges()
        _logger.info("Beta invitation %s accepted", invitation.id)
        return invitation, "accepted", user.login

    @api.model
    def _atelier_cron_expire(self):
        """Invitations not accepted in time: the person goes back to their
        place in the queue (their queue number never changed)."""
        now = fields.Datetime.now()
        expired = self.sudo().search(
            [("state", "=", "sent"), ("expires_at", "<=", now)]
        )
        if not expired:
            return 0
        expired.write({"state": "expired"})
        signups = expired.signup_id.filtered(lambda s: s.state == "invited")
        signups.write({"state": "waiting", "batch_id": False})
        template = self.env.ref("atelier_beta.mail_template_invitation_expired")
        for invitation in expired.filtered(lambda inv: inv.signup_id in signups):
            template.send_mail(
                invitation.id, email_layout_xmlid="mail.mail_notification_light"
            )
        _logger.info("Beta: %s invitation(s) expired, back in the queue", len(expired))
        return len(expired)
