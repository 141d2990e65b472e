# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import json
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import email_normalize, html2plaintext

from odoo.addons.atelier_base.tools.phone import PhoneNormalizationError

from .atelier_crm_consent import PURPOSES

_logger = logging.getLogger(__name__)

CONSENT_STATES = [
    ("granted", "Granted"),
    ("withdrawn", "Withdrawn"),
    ("none", "Not asked"),
]
# the contact fields an erasure empties
_ERASED_FIELDS = (
    "email",
    "phone",
    "mobile",
    "street",
    "street2",
    "zip",
    "city",
    "website",
    "vat",
    "function",
    "comment",
    "company_name",
    "image_1920",
)
_EXPORTED_FIELDS = (
    "name",
    "email",
    "phone",
    "mobile",
    "street",
    "street2",
    "zip",
    "city",
    "lang",
    "tz",
    "website",
    "function",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    atelier_consent_ids = fields.One2many(
        "atelier.crm.consent", "partner_id", string="Consents", readonly=True
    )
    atelier_consent_newsletter = fields.Selection(
        CONSENT_STATES, string="Newsletter", compute="_compute_atelier_consents"
    )
    atelier_consent_sequence = fields.Selection(
        CONSENT_STATES, string="Advice e-mails", compute="_compute_atelier_consents"
    )
    atelier_consent_partner_offers = fields.Selection(
        CONSENT_STATES, string="Partner offers", compute="_compute_atelier_consents"
    )

    def _compute_atelier_consents(self):
        Consent = self.env["atelier.crm.consent"].sudo()
        emails = [p.email_normalized for p in self if p.email_normalized]
        for purpose, _label in PURPOSES:
            status = Consent._atelier_status(emails, purpose) if emails else {}
            for partner in self:
                partner[f"atelier_consent_{purpose}"] = status.get(
                    partner.email_normalized, "none"
                )

    # ------------------------------------------------------------------
    # Deduplication
    # ------------------------------------------------------------------
    @api.model
    def _atelier_crm_keys(self, email=None, phone=None):
        keys = []
        normalized = email_normalize(email) if email else False
        if normalized:
            keys.append(f"email:{normalized}")
        if phone:
            try:
                keys.append(f"phone:{self._atelier_normalize_phone(phone).e164}")
            except PhoneNormalizationError as exc:
                _logger.info("Contact key: phone %r skipped: %s", phone, exc)
        return keys

    @api.model
    def _atelier_crm_find_contact(self, email=None, phone=None):
        """The contact with this e-mail (any case), else this phone number
        (any format, through the phone index); people before companies."""
        Partner = self.sudo()
        normalized = email_normalize(email) if email else False
        if normalized:
            match = Partner.search(
                [("email_normalized", "=", normalized)], order="is_company, id", limit=1
            )
            if match:
                return match
        if phone:
            match = Partner._atelier_find_by_phone(phone)
            if match:
                people = match.filtered(lambda p: not p.is_company)
                return (people or match)[:1]
        return Partner.browse()

    @api.model
    def _atelier_crm_find_or_create_contact(self, vals):
        """Find the contact of ``vals`` (name, email, phone, zip, city,
        company_name) or create it; fills what the contact lacks."""
        email = vals.get("email")
        phone = vals.get("phone")
        partner = self._atelier_crm_find_contact(email, phone)
        keys = self._atelier_crm_keys(email, phone)
        if not partner and keys:
            known = self.env["atelier.crm.contact.key"].sudo()._atelier_claim(keys)
            if known:
                partner = self.sudo().browse(next(iter(known.values()))).exists()
        if partner:
            update = {
                fname: vals[fname]
                for fname in ("email", "phone", "zip", "city")
                if vals.get(fname) and not partner[fname]
            }
            if update:
                partner.sudo().write(update)
            return partner.sudo()
        name = (vals.get("name") or email or phone or "").strip()
        if not name:
            return self.sudo().browse()
        values = {
            "name": name,
            "email": email or False,
            "phone": phone or False,
            "zip": vals.get("zip") or False,
            "city": vals.get("city") or False,
            "company_name": vals.get("company_name") or False,
            "country_id": vals.get("country_id") or self.env.company.country_id.id,
        }
        lang = self.env["res.lang"]._lang_get("fr_FR")
        if lang and lang.active and values["country_id"] == self.env.ref("base.fr").id:
            values["lang"] = "fr_FR"
        partner = self.sudo().create(values)
        self.env["atelier.crm.contact.key"].sudo()._atelier_bind(keys, partner)
        return partner

    # ------------------------------------------------------------------
    # Customer card
    # ------------------------------------------------------------------
    def _atelier_card_sections(self):
        sections = super()._atelier_card_sections()
        Lead = self.env["crm.lead"]
        if not Lead.has_access("read"):
            return sections
        domain = Domain(
            "partner_id", "child_of", self.commercial_partner_id.id
        ) & Domain("won_status", "=", "pending")
        leads = Lead.search(domain, order="atelier_score desc, id desc", limit=5)
        count = Lead.search_count(domain)
        currency = self.env.company.currency_id
        sections.append(
            {
                "key": "opportunities",
                "title": self.env._("Open opportunities"),
                "sequence": 25,
                "type": "list",
                "items": [
                    {
                        "label": lead.stage_id.name or "",
                        "value": lead.name
                        + (
                            f" · {currency.format(lead.expected_revenue)}"
                            if lead.expected_revenue
                            else ""
                        ),
                        "res_model": "crm.lead",
                        "res_id": lead.id,
                        "badge": self.env._(
                            "Score %(score)s", score=f"{lead.atelier_score:.0f}"
                        ),
                        "badge_color": "success"
                        if lead.atelier_funnel in ("mql", "sql")
                        else "info",
                    }
                    for lead in leads
                ],
                "count": count,
                "action": self._atelier_leads_action() if count else False,
            }
        )
        return sections

    def _atelier_leads_action(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_all_leads")
        action["domain"] = [
            ("partner_id", "child_of", self.commercial_partner_id.id),
        ]
        action["context"] = {"active_test": True}
        return action

    # ------------------------------------------------------------------
    # Personal data (GDPR)
    # ------------------------------------------------------------------
    def _atelier_check_gdpr_rights(self):
        if not (
            self.env.user.has_group("sales_team.group_sale_manager")
            or self.env.user.has_group("atelier_base.group_manager")
        ):
            raise AccessError(
                self.env._("Only sales managers export or erase personal data.")
            )

    def action_atelier_gdpr_export(self):
        """Download everything about this contact (JSON)."""
        self.ensure_one()
        self._atelier_check_gdpr_rights()
        return {
            "type": "ir.actions.act_url",
            "url": f"/atelier/crm/gdpr/{self.id}/export",
            "target": "self",
        }

    def action_atelier_gdpr_erase(self):
        self.ensure_one()
        self._atelier_check_gdpr_rights()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Erase personal data"),
            "res_model": "atelier.crm.gdpr.erase.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.id},
        }

    def _atelier_gdpr_leads(self):
        self.ensure_one()
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        domain = Domain("partner_id", "=", self.id)
        if self.email_normalized:
            domain |= Domain("email_normalized", "=", self.email_normalized)
        return Lead.search(domain)

    def _atelier_gdpr_data(self):
        """Everything the database holds about this contact, as plain data.
        Addons add their own sections by inheritance."""
        self.ensure_one()
        partner = self.sudo()
        leads = partner._atelier_gdpr_leads()
        email = partner.email_normalized

        def dt(value):
            return fields.Datetime.to_string(value) if value else None

        def label(record, fname):
            return dict(record._fields[fname]._description_selection(self.env)).get(
                record[fname]
            )

        Message = self.env["mail.message"].sudo()
        messages = Message.search(
            Domain("author_id", "=", partner.id)
            | (Domain("model", "=", "res.partner") & Domain("res_id", "=", partner.id))
            | (Domain("model", "=", "crm.lead") & Domain("res_id", "in", leads.ids)),
            order="date, id",
        )
        consents = (
            self.env["atelier.crm.consent"]
            .sudo()
            .search(
                Domain("partner_id", "=", partner.id)
                | Domain("email", "=", email or "-"),
                order="date, id",
            )
        )
        enrolments = (
            self.env["atelier.crm.enrolment"]
            .sudo()
            .search([("lead_id", "in", leads.ids)])
        )
        optins = (
            self.env["atelier.crm.optin"].sudo().search([("email", "=", email or "-")])
        )
        return {
            "contact": {
                "id": partner.id,
                **{fname: partner[fname] or None for fname in _EXPORTED_FIELDS},
                "country": partner.country_id.name or None,
                "company": partner.parent_id.name or None,
            },
            "leads": [
                {
                    "id": lead.id,
                    "name": lead.name,
                    "created": dt(lead.create_date),
                    "way_in": label(lead, "atelier_channel"),
                    "source": lead.source_id.name or None,
                    "campaign": lead.campaign_id.name or None,
                    "medium": lead.medium_id.name or None,
                    "referral_code": lead.atelier_referral_code or None,
                    "landing_page": lead.atelier_landing_page or None,
                    "email": lead.email_from or None,
                    "phone": lead.phone or None,
                    "stage": lead.stage_id.name or None,
                    "funnel": label(lead, "atelier_funnel"),
                    "score": lead.atelier_score,
                    "score_lines": [
                        {
                            "date": dt(line.date),
                            "reason": line.reason,
                            "detail": line.detail or None,
                            "points": line.points,
                        }
                        for line in lead.atelier_score_line_ids
                    ],
                    "notes": html2plaintext(lead.description or "") or None,
                }
                for lead in leads
            ],
            "consents": [
                {
                    "date": dt(consent.date),
                    "purpose": consent.purpose,
                    "action": consent.action,
                    "channel": consent.channel,
                    "text_shown": consent.text or None,
                    "ip": consent.ip or None,
                }
                for consent in consents
            ],
            "sequences": [
                {
                    "sequence": enrolment.sequence_id.name,
                    "enrolled": dt(enrolment.start_at),
                    "state": enrolment.state,
                    "stop_reason": enrolment.stop_reason or None,
                    "steps": [
                        {
                            "step": log.step_id.name,
                            "date": dt(log.processed_at),
                            "state": log.state,
                            "opened": dt(log.opened_at),
                            "clicked": dt(log.clicked_at),
                            "replied": dt(log.replied_at),
                        }
                        for log in enrolment.step_log_ids
                    ],
                }
                for enrolment in enrolments
            ],
            "opt_in_requests": [
                {
                    "date": dt(optin.create_date),
                    "state": optin.state,
                    "confirmed": dt(optin.confirmed_at),
                }
                for optin in optins
            ],
            "messages": [
                {
                    "date": dt(message.date),
                    "about": message.record_name or message.model,
                    "subject": message.subject or None,
                    "body": html2plaintext(message.body or "") or None,
                }
                for message in messages
            ],
        }

    def _atelier_gdpr_export(self, channel):
        """The JSON export, logged."""
        self.ensure_one()
        data = self._atelier_gdpr_data()
        payload = {
            "exported_at": fields.Datetime.to_string(fields.Datetime.now()),
            "controller": self.env.company.name,
            **data,
        }
        self.env["atelier.crm.gdpr.log"].sudo().create(
            {
                "partner_id": self.id,
                "action": "export",
                "channel": channel,
                "summary": ", ".join(
                    f"{key}: {len(value)}"
                    for key, value in data.items()
                    if isinstance(value, list)
                ),
            }
        )
        return json.dumps(payload, ensure_ascii=False, indent=2, default=str)

    def _atelier_gdpr_erase(self, channel):
        """Anonymise this contact everywhere, stop everything sent to them,
        and log it. Addons erase their own records by inheritance."""
        self.ensure_one()
        partner = self.sudo().with_context(active_test=False, tracking_disable=True)
        if partner.user_ids.filtered(lambda user: not user.share):
            raise UserError(
                self.env._(
                    "%(name)s is the contact of an employee's account: "
                    "archive the account first.",
                    name=partner.name,
                )
            )
        email = partner.email_normalized
        leads = partner._atelier_gdpr_leads()
        # a portal account goes the way Odoo deletes one (login removed, archived)
        partner.user_ids._deactivate_portal_user()
        self.env["atelier.crm.enrolment"].sudo()._atelier_stop(
            "erased",
            lead_ids=leads.ids,
            partner_ids=partner.ids,
            emails=[email] if email else [],
        )
        lead_count, lead_messages = leads._atelier_gdpr_anonymise()
        counts = {"leads": lead_count}
        if email:
            digest = "erased-" + hashlib.sha256(email.encode()).hexdigest()[:24]
            consents = (
                self.env["atelier.crm.consent"]
                .sudo()
                .search(
                    Domain("partner_id", "=", partner.id) | Domain("email", "=", email)
                )
            )
            consents.write({"email": digest, "ip": False})
            counts["consents"] = len(consents)
            optins = (
                self.env["atelier.crm.optin"].sudo().search([("email", "=", email)])
            )
            counts["opt_in_requests"] = len(optins)
            optins.unlink()
            self.env["mail.blacklist"].sudo().with_context(active_test=False).search(
                [("email", "=", email)]
            ).unlink()
            self.env["mailing.contact"].sudo().search(
                [("email_normalized", "=", email)]
            ).unlink()
            self.env["mail.mail"].sudo().search(
                [
                    ("state", "in", ("outgoing", "exception")),
                    ("email_to", "ilike", email),
                ]
            ).unlink()
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                Domain("author_id", "=", partner.id)
                | (
                    Domain("model", "=", "res.partner")
                    & Domain("res_id", "=", partner.id)
                )
            )
        )
        counts["messages"] = lead_messages + self.env[
            "atelier.crm.gdpr.log"
        ]._atelier_scrub_messages(messages)
        self.env["atelier.crm.contact.key"].sudo().search(
            [("partner_id", "=", partner.id)]
        ).unlink()
        vals = dict.fromkeys(_ERASED_FIELDS, False)
        vals["name"] = self.env._("Anonymised contact #%(id)s", id=partner.id)
        partner.write(vals)
        partner.child_ids.filtered(lambda child: child.type != "contact").write(
            dict(vals, name=vals["name"])
        )
        self.env["atelier.crm.gdpr.log"].sudo().create(
            {
                "partner_id": partner.id,
                "action": "erase",
                "channel": channel,
                "summary": ", ".join(
                    f"{key}: {value}" for key, value in counts.items()
                ),
            }
        )
        return counts
