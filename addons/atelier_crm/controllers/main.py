# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Public pages of the CRM: contact form, lead magnets, double opt-in,
unsubscribe, and the open/click trackers of the sequence e-mails.

Thin: each route validates what it is given and calls a model method.
Attribution rides in the URL and in hidden fields of the form (no cookie);
the forms work without a session, so they carry a signed time stamp
instead of Odoo's session-bound CSRF token.
"""

import base64
import logging
import time

from werkzeug.exceptions import Forbidden, NotFound

from odoo import fields, http, tools
from odoo.exceptions import AccessError
from odoo.http import request
from odoo.tools import consteq

from ..tools.email_check import DnsMxResolver, check_email
from ..tools.payload import clean_tag, is_scripted

_logger = logging.getLogger(__name__)

PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
ATTRIBUTION_PARAMS = {
    "utm_source": "source",
    "utm_campaign": "campaign",
    "utm_medium": "medium",
    "ref": "referral",
    "landing": "landing",
}
FIELD_LIMITS = {
    "name": 100,
    "email": 254,
    "phone": 30,
    "company": 100,
    "zip": 10,
    "message": 2000,
}
FORM_TOKEN_MAX_AGE = 24 * 3600
PROFILES = ("learner", "individual", "garage", "supplier", "marketplace")


class AtelierCrmPublic(http.Controller):
    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _client_ip(self):
        return request.httprequest.remote_addr

    def _max_bytes(self):
        value = (
            request.env["ir.config_parameter"]
            .sudo()
            .get_param("atelier_crm.max_form_bytes", "16384")
        )
        try:
            return int(value)
        except ValueError:
            return 16384

    def _form_token(self):
        stamp = str(int(time.time()))
        return f"{stamp}.{self._sign(stamp)}"

    def _sign(self, stamp):
        return tools.hmac(request.env(su=True), "atelier_crm-form", stamp)[:24]

    def _form_token_valid(self, token):
        stamp, _sep, signature = (token or "").partition(".")
        if not stamp.isdigit() or not consteq(self._sign(stamp), signature):
            return False
        return 0 <= time.time() - int(stamp) <= FORM_TOKEN_MAX_AGE

    def _attribution(self, params, landing=None):
        """Attribution values of the URL or of the hidden fields, cleaned
        (what is not a plausible tag is dropped)."""
        values = {}
        for param, key in ATTRIBUTION_PARAMS.items():
            value = clean_tag(params.get(param), 200 if key == "landing" else 100)
            if value:
                values[key] = value
        if landing and "landing" not in values:
            values["landing"] = clean_tag(landing, 200)
        return {k: v for k, v in values.items() if v}

    def _utm_records(self, attribution):
        """The UTM records the tags name (created when new)."""
        Mixin = request.env["utm.mixin"].sudo()
        records = {}
        for key, model in (
            ("source", "utm.source"),
            ("campaign", "utm.campaign"),
            ("medium", "utm.medium"),
        ):
            if attribution.get(key):
                records[key] = Mixin._find_or_create_record(model, attribution[key])
        return records

    def _resolver(self):
        params = request.env["ir.config_parameter"].sudo()
        if not tools.str2bool(params.get_param("atelier_crm.mx_check", "True")):
            return None
        try:
            timeout = float(params.get_param("atelier_crm.dns_timeout", "2"))
        except ValueError:
            timeout = 2.0
        return DnsMxResolver.from_setting(
            params.get_param("atelier_crm.dns_server"), timeout
        )

    def _validate(self, form, required=("name", "email")):
        """(clean values, errors by field). Refuses markup and scripts,
        over-long values, a bad e-mail or a domain that takes no mail, a
        bad phone number."""
        env = request.env
        clean, errors = {}, {}
        for fname, limit in FIELD_LIMITS.items():
            value = (form.get(fname) or "").strip()
            if len(value) > limit:
                errors[fname] = env._(
                    "This is too long (at most %(limit)s characters).", limit=limit
                )
            elif is_scripted(value):
                errors[fname] = env._("Markup and scripts are not accepted here.")
            clean[fname] = value
        for fname in required:
            if not clean.get(fname) and fname not in errors:
                errors[fname] = env._("This field is required.")
        if clean["email"] and "email" not in errors:
            normalized, problem = check_email(clean["email"], self._resolver())
            if problem == "syntax":
                errors["email"] = env._("This e-mail address is not valid.")
            elif problem == "no_mx":
                errors["email"] = env._(
                    "The domain of this address receives no e-mail: please check it."
                )
            else:
                clean["email"] = normalized
        if clean["phone"] and "phone" not in errors:
            try:
                env["res.partner"]._atelier_normalize_phone(clean["phone"])
            except ValueError:
                errors["phone"] = env._("This phone number is not valid.")
        profile = form.get("profile") or ""
        clean["profile"] = profile if profile in PROFILES else False
        clean["purposes"] = [
            purpose
            for purpose in ("newsletter", "sequence", "partner_offers")
            if form.get(f"consent_{purpose}")
        ]
        return clean, errors

    def _refusal(self, form):
        """A status and message for a submission refused as a whole, or
        None when it may be looked at."""
        env = request.env
        length = request.httprequest.content_length or 0
        if length > self._max_bytes():
            return 413, env._("This form is too large.")
        if not self._form_token_valid(form.get("form_token")):
            return 400, env._("This form has expired: please reload the page.")
        if env["atelier.crm.optin"].sudo()._atelier_rate_exceeded(self._client_ip()):
            return 429, env._(
                "Too many forms from your connection: please try again in an hour."
            )
        return None

    def _screen(self, form, label, bot_answer):
        """The checks every public form starts with: ``(response,
        attribution)``. A response when the submission stops here: refused
        as a whole (too large, expired, too many from one connection), or
        filled by a bot (the honeypot field "website"), which gets
        ``bot_answer()``, the answer of a success, so that it learns
        nothing."""
        refusal = self._refusal(form)
        if refusal:
            return (
                self._message(
                    request.env._("Not sent"),
                    refusal[1],
                    status=refusal[0],
                    kind="danger",
                ),
                {},
            )
        attribution = self._attribution(form)
        if form.get("website"):  # the honeypot: bots fill every field
            _logger.info(
                "%s: honeypot filled from %s, ignored", label, self._client_ip()
            )
            return bot_answer(), attribution
        return None, attribution

    def _render(self, template, values, status=200):
        values.setdefault(
            "consent_texts", request.env["atelier.crm.consent"]._atelier_texts()
        )
        values.setdefault("form_token", self._form_token())
        return request.render(template, values, status=status)

    def _message(self, title, message, status=200, kind="info"):
        return request.render(
            "atelier_crm.public_message",
            {"title": title, "message": message, "kind": kind},
            status=status,
        )

    # ------------------------------------------------------------------
    # contact form
    # ------------------------------------------------------------------
    @http.route(
        "/atelier/contact",
        type="http",
        auth="public",
        website=True,
        sitemap=True,
        methods=["GET"],
    )
    def contact_form(self, **params):
        return self._render(
            "atelier_crm.contact_form",
            {
                "form": {},
                "errors": {},
                "attribution": self._attribution(
                    params, landing=request.httprequest.path
                ),
            },
        )

    @http.route(
        "/atelier/contact",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        csrf=False,
        sitemap=False,
    )
    def contact_submit(self, **form):
        env = request.env
        stop, attribution = self._screen(
            form,
            "Contact form",
            lambda: self._message(
                env._("Thank you!"), env._("We will get back to you soon.")
            ),
        )
        if stop:
            return stop
        clean, errors = self._validate(form, required=("name", "email", "message"))
        if errors:
            return self._render(
                "atelier_crm.contact_form",
                {"form": clean, "errors": errors, "attribution": attribution},
                status=400,
            )
        texts = env["atelier.crm.consent"]._atelier_texts()
        data = dict(clean, **self._utm_records(attribution))
        data.update(
            referral=attribution.get("referral"), landing=attribution.get("landing")
        )
        lead = (
            env["crm.lead"]
            .sudo()
            ._atelier_capture(data, "website_form", client_ip=self._client_ip())
        )
        if clean["purposes"]:
            optin = (
                env["atelier.crm.optin"]
                .sudo()
                ._atelier_request(
                    dict(clean, attribution={}),
                    "website_form",
                    clean["purposes"],
                    {purpose: texts[purpose] for purpose in clean["purposes"]},
                )
            )
            optin.lead_id = lead
        return self._render(
            "atelier_crm.contact_thanks",
            {"asked_consent": bool(clean["purposes"]), "email": clean["email"]},
        )

    # ------------------------------------------------------------------
    # lead magnets
    # ------------------------------------------------------------------
    def _magnet(self, slug):
        magnet = (
            request.env["atelier.crm.lead.magnet"]
            .sudo()
            .search([("slug", "=", slug or "")], limit=1)
        )
        if not magnet:
            raise NotFound()
        return magnet

    @http.route(
        "/atelier/guide/<string:slug>",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
    )
    def guide_page(self, slug, **params):
        magnet = self._magnet(slug)
        return self._render(
            "atelier_crm.guide_page",
            {
                "magnet": magnet,
                "form": {},
                "errors": {},
                "attribution": self._attribution(
                    params, landing=request.httprequest.path
                ),
            },
        )

    @http.route(
        "/atelier/guide/<string:slug>",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        csrf=False,
        sitemap=False,
    )
    def guide_submit(self, slug, **form):
        env = request.env
        magnet = self._magnet(slug)
        stop, attribution = self._screen(
            form,
            "Guide form",
            lambda: self._render(
                "atelier_crm.guide_check_inbox", {"magnet": magnet, "email": ""}
            ),
        )
        if stop:
            return stop
        clean, errors = self._validate(form)
        if errors:
            return self._render(
                "atelier_crm.guide_page",
                {
                    "magnet": magnet,
                    "form": clean,
                    "errors": errors,
                    "attribution": attribution,
                },
                status=400,
            )
        texts = env["atelier.crm.consent"]._atelier_texts()
        records = self._utm_records(attribution)
        attribution_ids = {
            f"{key}_id": record.id for key, record in records.items() if record
        }
        attribution_ids.update(
            {
                key: attribution[key]
                for key in ("referral", "landing")
                if attribution.get(key)
            }
        )
        if clean["profile"]:
            attribution_ids["profile"] = clean["profile"]
        env["atelier.crm.optin"].sudo()._atelier_request(
            dict(clean, attribution=attribution_ids),
            "lead_magnet",
            clean["purposes"],
            {purpose: texts[purpose] for purpose in clean["purposes"]},
            client_ip=self._client_ip(),
            lead_magnet=magnet,
        )
        return self._render(
            "atelier_crm.guide_check_inbox", {"magnet": magnet, "email": clean["email"]}
        )

    # ------------------------------------------------------------------
    # double opt-in confirmation
    # ------------------------------------------------------------------
    def _optin_error(self, status):
        env = request.env
        messages = {
            "invalid": env._("This confirmation link is not valid."),
            "expired": env._("This confirmation link has expired: please ask again."),
            "used": env._("This address is already confirmed: nothing more to do."),
        }
        return self._message(
            env._("Confirmation"),
            messages[status],
            status=409 if status == "used" else (410 if status == "expired" else 404),
            kind="info" if status == "used" else "warning",
        )

    @http.route(
        "/atelier/crm/optin/<string:token>",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        sitemap=False,
    )
    def optin_page(self, token, **kw):
        """Shows a button: a mail scanner opening the link confirms nothing."""
        Optin = request.env["atelier.crm.optin"].sudo()
        optin = Optin._atelier_from_token(token)
        if not optin:
            return self._optin_error("invalid")
        if optin.state != "pending" or optin.expires_at <= fields.Datetime.now():
            return self._optin_error(
                "used" if optin.state == "confirmed" else "expired"
            )
        return request.render(
            "atelier_crm.optin_confirm", {"optin": optin, "token": token}
        )

    @http.route(
        "/atelier/crm/optin/<string:token>",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        csrf=False,
        sitemap=False,
    )
    def optin_confirm(self, token, **kw):
        optin, status = (
            request.env["atelier.crm.optin"]
            .sudo()
            ._atelier_confirm(token, ip=self._client_ip())
        )
        if status != "confirmed":
            return self._optin_error(status)
        return request.render("atelier_crm.optin_done", {"optin": optin})

    # ------------------------------------------------------------------
    # unsubscribe
    # ------------------------------------------------------------------
    @http.route(
        "/atelier/crm/unsubscribe",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        sitemap=False,
    )
    def unsubscribe_page(self, email=None, token=None, **kw):
        Consent = request.env["atelier.crm.consent"].sudo()
        if not Consent._atelier_check_unsubscribe_token(email, token):
            return self._message(
                request.env._("Unsubscribe"),
                request.env._("This unsubscribe link is not valid."),
                status=404,
                kind="warning",
            )
        return request.render(
            "atelier_crm.unsubscribe_page",
            {"email": email, "token": token, "done": False},
        )

    @http.route(
        "/atelier/crm/unsubscribe",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        csrf=False,
        sitemap=False,
    )
    def unsubscribe_submit(self, email=None, token=None, **form):
        env = request.env
        Consent = env["atelier.crm.consent"].sudo()
        if not Consent._atelier_check_unsubscribe_token(email, token):
            return self._message(
                env._("Unsubscribe"),
                env._("This unsubscribe link is not valid."),
                status=404,
                kind="warning",
            )
        everything = ["newsletter", "sequence", "partner_offers"]
        if form.get("List-Unsubscribe") == "One-Click" or form.get("scope") == "all":
            purposes = everything
        else:
            purposes = [p for p in everything if form.get(f"purpose_{p}")] or [
                "sequence"
            ]
        Consent._atelier_unsubscribe(email, purposes, ip=self._client_ip())
        return request.render(
            "atelier_crm.unsubscribe_page",
            {"email": email, "token": token, "done": True, "purposes": purposes},
        )

    # ------------------------------------------------------------------
    # trackers of the sequence e-mails
    # ------------------------------------------------------------------
    @http.route(
        "/atelier/crm/o/<int:log_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def track_open(self, log_id, token, **kw):
        log = (
            request.env["atelier.crm.enrolment.step"]
            .sudo()
            ._atelier_from_token(log_id, token)
        )
        if log:
            log._atelier_mark("opened")
        return request.make_response(
            PIXEL,
            headers=[("Content-Type", "image/gif"), ("Cache-Control", "no-store")],
        )

    @http.route(
        "/r/<string:code>/s/<int:log_id>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def track_click(self, code, log_id, **kw):
        env = request.env
        url = env["link.tracker"].sudo().get_url_from_code(code)
        if not url:
            raise NotFound()
        log = env["atelier.crm.enrolment.step"].sudo().browse(log_id).exists()
        if not env["ir.http"].is_a_bot():
            env["link.tracker.click"].sudo().add_click(
                code,
                ip=self._client_ip(),
                country_code=request.geoip.country_code,
                atelier_step_log_id=log.id or False,
            )
            if log:
                log._atelier_mark("clicked")
        return request.redirect(url, code=301, local=False)

    @http.route(
        "/atelier/crm/placement",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def placement(self, **kw):
        url = (
            request.env["ir.config_parameter"]
            .sudo()
            .get_param("atelier_crm.placement_url", "/atelier/contact")
        )
        return request.redirect(url or "/atelier/contact")

    # ------------------------------------------------------------------
    # back office: a contact's data as JSON
    # ------------------------------------------------------------------
    @http.route(
        "/atelier/crm/gdpr/<int:partner_id>/export",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def gdpr_export(self, partner_id, **kw):
        partner = request.env["res.partner"].browse(partner_id).exists()
        if not partner:
            raise NotFound()
        try:
            partner._atelier_check_gdpr_rights()
            partner.check_access("read")
        except AccessError:
            # a refusal, not an incident: no warning in the log
            raise Forbidden() from None
        body = partner._atelier_gdpr_export("backoffice")
        return request.make_response(
            body,
            headers=[
                ("Content-Type", "application/json; charset=utf-8"),
                (
                    "Content-Disposition",
                    f'attachment; filename="contact-{partner.id}.json"',
                ),
            ],
        )
