# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.tools import SQL, consteq, email_normalize

_logger = logging.getLogger(__name__)


class AtelierCrmOptin(models.Model):
    """A double opt-in request: what a visitor asked for, kept until they
    confirm from the link sent to their address.

    Nothing reaches the CRM before the confirmation: an address typed by a
    bot or by someone else leaves no contact, no lead and no consent. The
    link carries a token signed with the database secret (id, expiry); it
    is good once, until its expiry: a replayed, expired or forged token
    confirms nothing.
    """

    _name = "atelier.crm.optin"
    _description = "Double opt-in request"
    _order = "create_date desc, id desc"
    _rec_name = "email"

    email = fields.Char(required=True, index=True, readonly=True)
    name = fields.Char(readonly=True)
    phone = fields.Char(readonly=True)
    company = fields.Char(readonly=True)
    zip = fields.Char(readonly=True)
    message = fields.Text(readonly=True)
    channel = fields.Selection(
        [("website_form", "Website form"), ("lead_magnet", "Lead magnet")],
        required=True,
        readonly=True,
    )
    lead_magnet_id = fields.Many2one(
        "atelier.crm.lead.magnet", ondelete="set null", readonly=True
    )
    purpose_newsletter = fields.Boolean(string="Newsletter", readonly=True)
    purpose_sequence = fields.Boolean(string="Advice e-mails", readonly=True)
    purpose_partner_offers = fields.Boolean(string="Partner offers", readonly=True)
    attribution = fields.Json(readonly=True)
    consent_texts = fields.Json(string="Texts shown", readonly=True)
    lang = fields.Char(readonly=True)
    state = fields.Selection(
        [("pending", "Waiting"), ("confirmed", "Confirmed"), ("expired", "Expired")],
        required=True,
        default="pending",
        readonly=True,
        index=True,
    )
    expires_at = fields.Datetime(required=True, readonly=True)
    confirmed_at = fields.Datetime(readonly=True)
    client_ip = fields.Char(readonly=True, groups="base.group_system")
    confirm_ip = fields.Char(readonly=True, groups="base.group_system")
    lead_id = fields.Many2one("crm.lead", readonly=True, ondelete="set null")
    confirm_url = fields.Char(
        compute="_compute_confirm_url", groups="base.group_system"
    )

    _client_ip_idx = models.Index("(client_ip, create_date)")

    def _compute_confirm_url(self):
        base_url = self.get_base_url()
        for optin in self:
            optin.confirm_url = (
                f"{base_url}/atelier/crm/optin/{optin._atelier_token()}"
                if optin.id
                else False
            )

    # ------------------------------------------------------------------
    # Tokens
    # ------------------------------------------------------------------
    def _atelier_signature(self, expiry):
        self.ensure_one()
        message = f"{self.id}.{expiry}.{self.email}"
        return tools.hmac(self.env(su=True), "atelier_crm-optin", message)[:40]

    def _atelier_token(self):
        self.ensure_one()
        expiry = int(self.expires_at.timestamp())
        return f"{self.id}.{expiry}.{self._atelier_signature(expiry)}"

    @api.model
    def _atelier_from_token(self, token):
        """The request a token was signed for, or nothing (forged, garbled)."""
        parts = (token or "").split(".")
        if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
            return self.browse()
        optin = self.sudo().browse(int(parts[0])).exists()
        if not optin or int(optin.expires_at.timestamp()) != int(parts[1]):
            return self.browse()
        if not consteq(optin._atelier_signature(int(parts[1])), parts[2]):
            return self.browse()
        return optin

    # ------------------------------------------------------------------
    # Request and confirmation
    # ------------------------------------------------------------------
    @api.model
    def _atelier_validity_hours(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("atelier_crm.optin_hours", "48")
        )
        try:
            return max(int(value), 1)
        except ValueError:
            return 48

    @api.model
    def _atelier_request(
        self, data, channel, purposes, texts, client_ip=None, lead_magnet=None
    ):
        """Record a request and send its confirmation e-mail."""
        optin = self.sudo().create(
            {
                "email": email_normalize(data["email"]),
                "name": data.get("name"),
                "phone": data.get("phone"),
                "company": data.get("company"),
                "zip": data.get("zip"),
                "message": data.get("message"),
                "channel": channel,
                "lead_magnet_id": lead_magnet.id if lead_magnet else False,
                "purpose_newsletter": "newsletter" in purposes,
                "purpose_sequence": "sequence" in purposes,
                "purpose_partner_offers": "partner_offers" in purposes,
                "attribution": data.get("attribution") or {},
                "consent_texts": texts,
                "lang": self.env.lang,
                "expires_at": fields.Datetime.now()
                + timedelta(hours=self._atelier_validity_hours()),
                "client_ip": client_ip,
            }
        )
        for purpose in purposes:
            self.env["atelier.crm.consent"]._atelier_log(
                [optin.email],
                purpose,
                "requested",
                channel,
                text=texts.get(purpose),
                ip=client_ip,
            )
        template = self.env.ref("atelier_crm.mail_template_optin_confirm")
        template.sudo().with_context(lang=optin.lang).send_mail(
            optin.id, email_layout_xmlid="mail.mail_notification_light"
        )
        return optin

    @api.model
    def _atelier_confirm(self, token, ip=None):
        """Confirm the request of ``token`` once; returns ``(request,
        status)`` with status "confirmed", "used", "expired" or "invalid"."""
        optin = self._atelier_from_token(token)
        if not optin:
            return optin, "invalid"
        now = fields.Datetime.now()
        self.env.flush_all()
        # single use: only the first confirmation moves the row
        self.env.cr.execute(
            SQL(
                """UPDATE atelier_crm_optin
                      SET state = 'confirmed', confirmed_at = %(now)s,
                          confirm_ip = %(ip)s, write_date = %(now)s
                    WHERE id = %(id)s AND state = 'pending' AND expires_at > %(now)s
                RETURNING id""",
                now=now,
                ip=ip,
                id=optin.id,
            )
        )
        if not self.env.cr.fetchone():
            optin.invalidate_recordset()
            if optin.state == "confirmed":
                return optin, "used"
            return optin, "expired"
        optin.invalidate_recordset()
        optin._atelier_apply(ip)
        return optin, "confirmed"

    def _atelier_apply(self, ip):
        """The confirmed request reaches the CRM: contact, lead, consents,
        newsletter, guide, sequence."""
        self.ensure_one()
        optin = self.sudo()
        attribution = optin.attribution or {}
        magnet = optin.lead_magnet_id

        def record(model, key):
            value = attribution.get(key)
            return self.env[model].sudo().browse(value).exists() if value else False

        data = {
            "name": optin.name,
            "email": optin.email,
            "phone": optin.phone,
            "company": optin.company,
            "zip": optin.zip,
            "message": optin.message,
            "profile": attribution.get("profile"),
            "vehicle_type": attribution.get("vehicle_type"),
            "source": record("utm.source", "source_id")
            or (magnet.utm_source_id if magnet else False),
            "campaign": record("utm.campaign", "campaign_id"),
            "medium": record("utm.medium", "medium_id"),
            "referral": attribution.get("referral"),
            "landing": attribution.get("landing"),
            "tag_ids": magnet.tag_ids.ids if magnet else [],
            "score_detail": magnet.name if magnet else False,
        }
        if magnet:
            data["lead_name"] = self.env._(
                "%(who)s - %(guide)s", who=optin.name or optin.email, guide=magnet.name
            )
        purposes = [
            purpose
            for purpose in ("newsletter", "sequence", "partner_offers")
            if optin[f"purpose_{purpose}"]
        ]
        texts = optin.consent_texts or {}
        Consent = self.env["atelier.crm.consent"]
        lead = optin.lead_id
        if lead:
            # a contact form's lead exists already: only the consents change
            for purpose in purposes:
                Consent._atelier_log(
                    [optin.email],
                    purpose,
                    "granted",
                    "optin",
                    text=texts.get(purpose),
                    ip=ip,
                    partner_id=lead.partner_id.id,
                    lead_id=lead.id,
                )
        else:
            lead = (
                self.env["crm.lead"]
                .with_context(lang=optin.lang or self.env.lang)
                ._atelier_capture(
                    data,
                    optin.channel,
                    consents={
                        purpose: ("granted", texts.get(purpose)) for purpose in purposes
                    },
                    client_ip=ip,
                )
            )
            optin.lead_id = lead
        if purposes and self.env["mail.blacklist"].sudo().search(
            [("email", "=", optin.email)]
        ):
            # the one way back after an opt-out: a confirmed double opt-in
            self.env["mail.blacklist"].sudo()._remove(
                optin.email,
                message=self.env._("Subscribed again by a confirmed double opt-in."),
            )
        if "newsletter" in purposes:
            Consent._atelier_subscribe_newsletter(optin.email, optin.name)
        if magnet:
            magnet._atelier_deliver(optin, lead)
            if "sequence" in purposes and magnet.sequence_id:
                magnet.sequence_id._atelier_enrol(lead, origin="lead_magnet")
        return lead

    @api.model
    def _atelier_rate_exceeded(self, client_ip):
        """Whether ``client_ip`` sent the configured number of forms within
        the last hour (requests and direct contacts together)."""
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("atelier_crm.form_hourly_limit", "5")
        )
        try:
            limit = int(value)
        except ValueError:
            limit = 5
        if not client_ip or limit <= 0:
            return False
        since = fields.Datetime.now() - timedelta(hours=1)
        self.env.cr.execute(
            SQL(
                """SELECT (SELECT count(*) FROM atelier_crm_optin
                            WHERE client_ip = %(ip)s AND create_date >= %(since)s)
                        + (SELECT count(*) FROM crm_lead
                            WHERE atelier_client_ip = %(ip)s
                              AND create_date >= %(since)s)""",
                ip=client_ip,
                since=since,
            )
        )
        return self.env.cr.fetchone()[0] >= limit

    @api.model
    def _atelier_cron_expire(self):
        """Expire unconfirmed requests; forget them after 30 days."""
        now = fields.Datetime.now()
        expired = self.sudo().search(
            [("state", "=", "pending"), ("expires_at", "<=", now)]
        )
        expired.write({"state": "expired"})
        old = self.sudo().search(
            [("state", "=", "expired"), ("expires_at", "<=", now - timedelta(days=30))]
        )
        old.unlink()
        return len(expired)
