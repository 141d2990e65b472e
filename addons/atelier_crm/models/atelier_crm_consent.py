# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from urllib.parse import urlencode

from odoo import api, fields, models, tools
from odoo.tools import SQL, consteq, email_normalize

from ..tools.signing import sign

PURPOSES = [
    ("newsletter", "Newsletter"),
    ("sequence", "Advice e-mails (sequence)"),
    ("partner_offers", "Partner offers"),
]
CONSENT_CHANNELS = [
    ("website_form", "Website form"),
    ("lead_magnet", "Lead magnet"),
    ("optin", "Double opt-in confirmation"),
    ("phone", "Phone call"),
    ("backoffice", "Back office"),
    ("unsubscribe", "Unsubscribe link"),
    ("mass_mailing", "Mailing unsubscribe"),
    ("portal", "Portal"),
    ("import", "Import"),
]


class AtelierCrmConsent(models.Model):
    """One consent event: given or withdrawn, for one purpose, by one address.

    Append-only: the current state of an address is its latest event per
    purpose. The text the person saw is stored as it was shown.
    """

    _name = "atelier.crm.consent"
    _description = "Consent event"
    _order = "date desc, id desc"
    _rec_name = "email"

    partner_id = fields.Many2one(
        "res.partner", string="Contact", index="btree_not_null", ondelete="set null"
    )
    lead_id = fields.Many2one("crm.lead", index="btree_not_null", ondelete="set null")
    email = fields.Char(required=True, index=True, help="Normalized e-mail address.")
    purpose = fields.Selection(PURPOSES, required=True)
    action = fields.Selection(
        [
            ("requested", "Requested (waiting for confirmation)"),
            ("granted", "Granted"),
            ("withdrawn", "Withdrawn"),
        ],
        required=True,
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    channel = fields.Selection(CONSENT_CHANNELS, required=True)
    text = fields.Text(string="Text shown")
    ip = fields.Char(string="IP address")
    user_id = fields.Many2one(
        "res.users", string="Recorded by", default=lambda self: self.env.user
    )

    _email_purpose_idx = models.Index("(email, purpose, date DESC, id DESC)")

    @api.model
    def _atelier_texts(self):
        """The consent sentences shown next to the boxes (and stored with
        each consent as they were shown, in the visitor's language)."""
        return {
            "newsletter": self.env._(
                "I would like the Atelier newsletter (one e-mail a month)."
            ),
            "sequence": self.env._(
                "I would like practical advice by e-mail for two weeks (five e-mails)."
            ),
            "partner_offers": self.env._(
                "I accept offers from Atelier's partners (garages, parts suppliers)."
            ),
        }

    @api.model
    def _atelier_log(self, emails, purpose, action, channel, **values):
        """Record one event per address (normalized; garbage skipped)."""
        vals_list = []
        for email in emails:
            normalized = email_normalize(email)
            if normalized:
                vals_list.append(
                    {
                        "email": normalized,
                        "purpose": purpose,
                        "action": action,
                        "channel": channel,
                        **values,
                    }
                )
        return self.sudo().create(vals_list)

    @api.model
    def _atelier_status(self, emails, purpose, normalized=False):
        """Latest action per normalized address for ``purpose`` (one query);
        ``normalized``: the addresses are normalized already."""
        if normalized:
            normalized = [e for e in set(emails) if e]
        else:
            normalized = [e for e in {email_normalize(e) for e in emails} if e]
        if not normalized:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT DISTINCT ON (email) email, action
                     FROM atelier_crm_consent
                    WHERE email = ANY(%s) AND purpose = %s
                      AND action IN ('granted', 'withdrawn')
                 ORDER BY email, date DESC, id DESC""",
                normalized,
                purpose,
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _atelier_granted(self, emails, purpose, normalized=False):
        """The addresses among ``emails`` whose latest word is a yes."""
        return {
            email
            for email, action in self._atelier_status(
                emails, purpose, normalized
            ).items()
            if action == "granted"
        }

    # ------------------------------------------------------------------
    # Unsubscribing (honoured everywhere, never silently undone)
    # ------------------------------------------------------------------
    @api.model
    def _atelier_unsubscribe_token(self, email, secret=None):
        if secret is None:
            return tools.hmac(self.env(su=True), "atelier_crm-unsubscribe", email)[:32]
        return sign(secret, "atelier_crm-unsubscribe", email)[:32]

    @api.model
    def _atelier_unsubscribe_url(self, email, secret=None):
        """The signed unsubscribe link of a normalized address (``secret``:
        the database secret, when the caller signs many)."""
        normalized = email if secret else (email_normalize(email) or email or "")
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        query = urlencode(
            {
                "email": normalized,
                "token": self._atelier_unsubscribe_token(normalized, secret),
            }
        )
        return f"{base_url}/atelier/crm/unsubscribe?{query}"

    @api.model
    def _atelier_check_unsubscribe_token(self, email, token):
        normalized = email_normalize(email or "")
        return bool(normalized) and consteq(
            self._atelier_unsubscribe_token(normalized), token or ""
        )

    @api.model
    def _atelier_unsubscribe(self, email, purposes, channel="unsubscribe", ip=None):
        """Withdraw ``purposes`` for ``email``: the consent log, our
        sequences, the newsletter list and, for all purposes, Odoo's
        blacklist (which mass mailings honour)."""
        normalized = email_normalize(email)
        if not normalized:
            return False
        purposes = [p for p in purposes if p in dict(PURPOSES)]
        partner = (
            self.env["res.partner"]
            .sudo()
            .search([("email_normalized", "=", normalized)], limit=1)
        )
        for purpose in purposes:
            self._atelier_log(
                [normalized],
                purpose,
                "withdrawn",
                channel,
                ip=ip,
                partner_id=partner.id or False,
            )
        if "sequence" in purposes:
            self.env["crm.lead"]._atelier_business_event(
                "unsubscribe", partners=partner, emails=[normalized]
            )
        if "newsletter" in purposes:
            self.env["mailing.subscription"].sudo().search(
                [
                    ("contact_id.email_normalized", "=", normalized),
                    ("list_id", "=", self._atelier_newsletter_list().id),
                    ("opt_out", "=", False),
                ]
            ).with_context(atelier_crm_unsubscribing=True).write({"opt_out": True})
        if set(purposes) == set(dict(PURPOSES)):
            self.env["mail.blacklist"].sudo().with_context(
                atelier_crm_unsubscribing=True
            )._add(normalized, message=self.env._("Unsubscribed from everything."))
        return True

    @api.model
    def _atelier_newsletter_list(self):
        return (
            self.env.ref(
                "atelier_crm.mailing_list_newsletter", raise_if_not_found=False
            )
            or self.env["mailing.list"]
        )

    @api.model
    def _atelier_subscribe_newsletter(self, email, name=None):
        """Put a confirmed address on the newsletter list (after a double
        opt-in only: this is the one place that undoes an opt-out)."""
        mailing_list = self._atelier_newsletter_list().sudo()
        normalized = email_normalize(email)
        if not (mailing_list and normalized):
            return
        Contact = self.env["mailing.contact"].sudo()
        contact = Contact.search([("email_normalized", "=", normalized)], limit=1)
        if not contact:
            contact = Contact.create({"name": name or normalized, "email": normalized})
        subscription = contact.subscription_ids.filtered(
            lambda s: s.list_id == mailing_list
        )
        context = {"atelier_crm_optin_confirmed": True}
        if subscription:
            subscription.with_context(**context).write({"opt_out": False})
        else:
            self.env["mailing.subscription"].sudo().with_context(**context).create(
                {"contact_id": contact.id, "list_id": mailing_list.id}
            )
