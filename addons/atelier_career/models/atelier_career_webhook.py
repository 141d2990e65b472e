# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import hmac
import ipaddress
import secrets
import socket
from urllib.parse import urlparse

from odoo import api, fields, models
from odoo.exceptions import ValidationError

EVENTS = ("session.finished", "synthesis.ready")


def sign(secret, timestamp, body):
    """``sha256=<hex>`` of HMAC-SHA256(secret, "<timestamp>.<raw body>"): the
    scheme of the suite's call-events API (atelier_cti), for receivers that
    already check it."""
    if isinstance(body, str):
        body = body.encode()
    mac = hmac.new(
        secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256
    )
    return "sha256=" + mac.hexdigest()


class AtelierCareerWebhook(models.Model):
    """An endpoint of a Pro subscription that receives the sessions' events,
    signed; disabled after ``max_failures`` failed deliveries in a row."""

    _name = "atelier.career.webhook"
    _description = "Career webhook"
    _inherit = ["mail.thread"]

    name = fields.Char(required=True)
    subscription_id = fields.Many2one(
        "atelier.career.subscription", required=True, index=True, ondelete="cascade"
    )
    owner_id = fields.Many2one(
        "res.users", required=True, help="Notified when the endpoint is disabled."
    )
    url = fields.Char("URL", required=True)
    secret = fields.Char(
        default=lambda self: secrets.token_urlsafe(32),
        required=True,
        copy=False,
        groups="atelier_base.group_manager",
    )
    event_finished = fields.Boolean("session.finished", default=True)
    event_synthesis = fields.Boolean("synthesis.ready", default=True)
    active = fields.Boolean(default=True, tracking=True)
    failure_count = fields.Integer("Failures in a row", readonly=True)
    max_failures = fields.Integer(default=5, required=True)
    disabled_reason = fields.Char(readonly=True)
    delivery_ids = fields.One2many("atelier.career.webhook.delivery", "webhook_id")

    @api.constrains("url")
    def _check_url(self):
        for webhook in self:
            problem = self._url_problem(webhook.url)
            if problem:
                raise ValidationError(problem)

    @api.model
    def _url_problem(self, url):
        parsed = urlparse(url or "")
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            return self.env._("A webhook URL starts with https:// (or http://).")
        allow_private = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("atelier_career.webhook_allow_private")
        )
        if allow_private:
            return ""
        try:
            infos = socket.getaddrinfo(parsed.hostname, parsed.port or 443)
        except OSError:
            return ""  # resolved again at delivery time
        for info in infos:
            address = ipaddress.ip_address(info[4][0])
            if address.is_private or address.is_loopback or address.is_link_local:
                return self.env._("A webhook cannot target a private or local address.")
        return ""

    def action_rotate_secret(self):
        self.check_access("write")
        for webhook in self:
            webhook.secret = secrets.token_urlsafe(32)
        return True

    def action_enable(self):
        self.check_access("write")
        self.write({"active": True, "failure_count": 0, "disabled_reason": False})
        return True

    # ------------------------------------------------------------------
    # The owner's portal page (the controller checks the caller first)
    # ------------------------------------------------------------------
    @api.model
    def _portal_subscriptions(self, user):
        """The current subscriptions with webhooks that ``user`` holds: their
        own Pro plan, or the company plan they manage."""
        subscriptions = (
            self.env["atelier.career.subscription"]
            .sudo()
            .search(
                [
                    ("plan_id.webhooks", "=", True),
                    "|",
                    ("user_id", "=", user.id),
                    ("manager_user_id", "=", user.id),
                ]
            )
        )
        return subscriptions.filtered(lambda s: s._is_current())

    @api.model
    def _portal_webhooks(self, user):
        subscriptions = self._portal_subscriptions(user)
        return (
            self.sudo()
            .with_context(active_test=False)
            .search([("subscription_id", "in", subscriptions.ids)])
        )

    @api.model
    def _portal_create(self, user, subscription_id, name, url):
        """A new endpoint of one of ``user``'s subscriptions; returns it (its
        secret is shown once)."""
        subscription = self._portal_subscriptions(user).filtered(
            lambda s: s.id == subscription_id
        )
        if not subscription:
            raise ValidationError(self.env._("Webhooks come with a Pro plan."))
        return self.sudo().create(
            {
                "name": (name or "").strip()[:80] or self.env._("Webhook"),
                "url": (url or "").strip()[:2000],
                "subscription_id": subscription.id,
                "owner_id": user.id,
            }
        )

    def _portal_rotate(self):
        self.ensure_one()
        self.sudo().secret = secrets.token_urlsafe(32)
        return self.sudo().secret

    def _portal_enable(self):
        self.sudo().write(
            {"active": True, "failure_count": 0, "disabled_reason": False}
        )

    @api.model
    def _enqueue(self, subscription, event, payload):
        """Queue ``event`` for every active endpoint of ``subscription``."""
        field = "event_finished" if event == "session.finished" else "event_synthesis"
        webhooks = self.sudo().search(
            [("subscription_id", "=", subscription.id), (field, "=", True)]
        )
        deliveries = self.env["atelier.career.webhook.delivery"].sudo()
        for webhook in webhooks:
            deliveries |= deliveries.create(
                {"webhook_id": webhook.id, "event": event, "payload": payload}
            )
        if deliveries:
            self.env.ref("atelier_career.ir_cron_webhook_deliver")._trigger()
        return deliveries

    def _record_failure(self, error):
        self.ensure_one()
        self.failure_count += 1
        if self.failure_count >= self.max_failures and self.active:
            self.write(
                {
                    "active": False,
                    "disabled_reason": self.env._(
                        "%(count)s failed deliveries in a row; last error: %(error)s",
                        count=self.failure_count,
                        error=error,
                    ),
                }
            )
            self._notify_owner_disabled(error)

    def _notify_owner_disabled(self, error):
        partner = self.owner_id.partner_id
        self.message_post(
            body=self.env._(
                "The webhook %(name)s (%(url)s) is disabled after %(count)s failed "
                "deliveries in a row. Last error: %(error)s. Fix the endpoint, then "
                "enable it again.",
                name=self.name,
                url=self.url,
                count=self.failure_count,
                error=error,
            ),
            partner_ids=partner.ids,
            subtype_xmlid="mail.mt_comment",
        )
