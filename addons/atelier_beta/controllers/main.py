# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Public pages of the beta: sign-up, status (position and referral link),
invitation, roadmap; and the beta's side of the CRM's double opt-in.

Thin: the checks of the CRM's public forms (signed form token, size,
per-IP rate limit, honeypot, e-mail syntax and MX, phone) are reused by
inheritance; the beta adds its fields, the disposable-domain refusal and
the referral code, then calls model methods.
"""

from datetime import date

from odoo import fields, http, tools
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.atelier_crm.controllers.main import AtelierCrmPublic
from odoo.addons.atelier_crm.tools.payload import is_scripted
from odoo.addons.atelier_crm.tools.regions import REGIONS

from ..models.atelier_beta_roadmap_item import ROADMAP_STATES
from ..models.atelier_beta_signup import FUEL_TYPES, PROFILES
from ..tools.identity import (
    DEFAULT_DISPOSABLE_DOMAINS,
    clean_code,
    clean_device_id,
    is_disposable,
    parse_domains,
)

MAKES = (
    "Renault",
    "Peugeot",
    "Citroën",
    "Dacia",
    "Volkswagen",
    "Toyota",
    "Ford",
    "Opel",
    "Fiat",
    "BMW",
    "Mercedes-Benz",
    "Audi",
    "Skoda",
    "Seat",
    "Nissan",
    "Hyundai",
    "Kia",
    "Tesla",
    "DS",
    "Suzuki",
    "Mazda",
    "Volvo",
    "MG",
    "Mini",
)
MIN_YEAR = 1990


class AtelierBetaPublic(AtelierCrmPublic):
    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _beta_choices(self):
        env = request.env
        Signup = env["atelier.beta.signup"]

        def labels(fname):
            return Signup._fields[fname]._description_selection(env)

        return {
            "fuel_types": labels("fuel_type"),
            "profiles": labels("profile"),
            "regions": [pair for pair in labels("region") if pair[0] != "abroad"],
            "makes": MAKES,
            "max_year": date.today().year + 1,
            "min_year": MIN_YEAR,
        }

    def _beta_render_form(self, form, errors, attribution, status=200):
        values = {
            "form": form,
            "errors": errors,
            "attribution": attribution,
            **self._beta_choices(),
        }
        return self._render("atelier_beta.signup_page", values, status=status)

    def _beta_disposable(self, email):
        params = request.env["ir.config_parameter"].sudo()
        if not tools.str2bool(
            params.get_param("atelier_beta.refuse_disposable", "True")
        ):
            return False
        domains = params.get_param("atelier_beta.disposable_domains")
        domains = parse_domains(domains) if domains else set(DEFAULT_DISPOSABLE_DOMAINS)
        return is_disposable(email, domains)

    def _beta_validate(self, form):
        """(clean values, errors by field) of the sign-up form."""
        env = request.env
        clean, errors = self._validate(form, required=("name", "email"))
        if (
            clean.get("email")
            and "email" not in errors
            and self._beta_disposable(clean["email"])
        ):
            errors["email"] = env._(
                "Disposable addresses are not accepted: "
                "we need to reach you during the beta."
            )
        make = (form.get("vehicle_make") or "").strip()
        if not make:
            errors["vehicle_make"] = env._("This field is required.")
        elif len(make) > 40 or is_scripted(make):
            errors["vehicle_make"] = env._(
                "Type the make of your car (at most 40 characters)."
            )
        clean["vehicle_make"] = make
        for fname, choices in (
            ("fuel_type", FUEL_TYPES),
            ("region", REGIONS),
            ("profile", PROFILES),
        ):
            value = form.get(fname) or ""
            clean[fname] = value if value in dict(choices) else False
            if not clean[fname]:
                errors[fname] = env._("Choose one of the options.")
        year = (form.get("vehicle_year") or "").strip()
        clean["vehicle_year"] = int(year) if year.isdigit() else False
        if (
            not clean["vehicle_year"]
            or not MIN_YEAR <= clean["vehicle_year"] <= date.today().year + 1
        ):
            errors["vehicle_year"] = env._(
                "Type the year of your car (from %(min)s to %(max)s).",
                min=MIN_YEAR,
                max=date.today().year + 1,
            )
        typed = (form.get("referral_code") or "").strip()
        clean["referral_code"] = typed
        clean["referrer"] = env["atelier.beta.signup"].sudo()
        if typed:
            code = clean_code(typed)
            referrer = (
                env["atelier.beta.signup"]
                .sudo()
                .search(
                    [
                        ("referral_code", "=", code),
                        ("state", "in", ("waiting", "invited", "tester")),
                    ],
                    limit=1,
                )
                if code
                else None
            )
            if not referrer:
                errors["referral_code"] = env._(
                    "This referral code is unknown: check it, or leave it empty."
                )
            else:
                clean["referrer"] = referrer
                clean["referral_code"] = code
        return clean, errors

    # ------------------------------------------------------------------
    # sign-up
    # ------------------------------------------------------------------
    @http.route(
        "/beta", type="http", auth="public", website=True, sitemap=True, methods=["GET"]
    )
    def beta_signup_page(self, **params):
        attribution = self._attribution(params, landing=request.httprequest.path)
        attribution.pop("referral", None)
        form = {"referral_code": clean_code(params.get("ref")) or ""}
        return self._beta_render_form(form, {}, attribution)

    @http.route(
        "/beta",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        csrf=False,
        sitemap=False,
    )
    def beta_signup_submit(self, **form):
        env = request.env
        stop, attribution = self._screen(
            form,
            "Beta sign-up",
            lambda: request.render("atelier_beta.signup_check_inbox", {"email": ""}),
        )
        if stop:
            return stop
        attribution.pop("referral", None)
        clean, errors = self._beta_validate(form)
        if errors:
            return self._beta_render_form(clean, errors, attribution, status=400)
        texts = env["atelier.crm.consent"]._atelier_texts()
        records = self._utm_records(attribution)
        data = dict(
            clean,
            source=records.get("source"),
            texts={purpose: texts[purpose] for purpose in clean["purposes"]},
        )
        try:
            env["atelier.beta.signup"].sudo()._atelier_register(
                data,
                client_ip=self._client_ip(),
                device_id=clean_device_id(form.get("device_id")),
            )
        except UserError as exc:
            return self._beta_render_form(
                clean, {"email": str(exc)}, attribution, status=400
            )
        # the same answer whether the address was new or known: the page
        # tells nobody who is on the list
        return request.render(
            "atelier_beta.signup_check_inbox", {"email": clean["email"]}
        )

    # ------------------------------------------------------------------
    # the double opt-in, beta side
    # ------------------------------------------------------------------
    @http.route()
    def optin_page(self, token, **kw):
        optin = request.env["atelier.crm.optin"].sudo()._atelier_from_token(token)
        if optin and optin.channel == "beta" and optin.state == "pending":
            if optin.expires_at > fields.Datetime.now():
                return request.render(
                    "atelier_beta.optin_confirm", {"optin": optin, "token": token}
                )
        return super().optin_page(token, **kw)

    @http.route()
    def optin_confirm(self, token, **kw):
        Optin = request.env["atelier.crm.optin"].sudo()
        optin = Optin._atelier_from_token(token)
        if not optin or optin.channel != "beta":
            return super().optin_confirm(token, **kw)
        optin, status = Optin._atelier_confirm(token, ip=self._client_ip())
        if status != "confirmed":
            return self._optin_error(status)
        signup = optin._atelier_beta_signup()
        if not signup or signup.state == "pending":
            return request.render("atelier_crm.optin_done", {"optin": optin})
        return request.redirect(
            f"/beta/status/{signup._atelier_status_token()}", local=True
        )

    # ------------------------------------------------------------------
    # status page: position and referral link
    # ------------------------------------------------------------------
    def _beta_status_signup(self, token):
        return (
            request.env["atelier.beta.signup"].sudo()._atelier_from_status_token(token)
        )

    def _beta_not_found(self):
        env = request.env
        return self._message(
            env._("Beta"),
            env._("This link is not valid (or the sign-up was erased)."),
            status=404,
            kind="warning",
        )

    @http.route(
        "/beta/status/<string:token>",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        sitemap=False,
    )
    def beta_status(self, token, **kw):
        signup = self._beta_status_signup(token)
        if not signup:
            return self._beta_not_found()
        referrals = signup.referral_ids.filtered(lambda r: r.referred_id != signup)
        values = {
            "signup": signup,
            "token": token,
            "waiting_count": signup._atelier_waiting_count(),
            "referral_counts": {
                "total": len(referrals),
                "credited": len(referrals.filtered(lambda r: r.state == "credited")),
                "pending": len(
                    referrals.filtered(lambda r: r.state in ("pending", "review"))
                ),
            },
            "places_per_referral": signup._atelier_param("places_per_referral", 10),
        }
        return request.render("atelier_beta.status_page", values)

    @http.route(
        "/beta/status/<string:token>/erase",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        csrf=False,
        sitemap=False,
    )
    def beta_status_erase(self, token, confirm=None, **kw):
        env = request.env
        signup = self._beta_status_signup(token)
        if not signup:
            return self._beta_not_found()
        if not confirm:
            return self._message(
                env._("Nothing erased"),
                env._(
                    "Tick the box to confirm that you want to leave the beta "
                    "and erase your data."
                ),
                status=400,
                kind="warning",
            )
        signup._atelier_erase("beta")
        return self._message(
            env._("Done"),
            env._("You have left the beta and your personal data is erased."),
            kind="success",
        )

    # ------------------------------------------------------------------
    # invitation
    # ------------------------------------------------------------------
    def _beta_invitation_error(self, status):
        env = request.env
        messages = {
            "invalid": (404, env._("This invitation link is not valid.")),
            "used": (
                409,
                env._(
                    "This invitation was accepted already: sign in to reach the beta."
                ),
            ),
            "expired": (
                410,
                env._(
                    "This invitation has expired: your place is back on the waitlist."
                ),
            ),
        }
        code, text = messages[status]
        return self._message(
            env._("Invitation to the beta"), text, status=code, kind="warning"
        )

    @http.route(
        "/beta/invitation/<string:token>",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        sitemap=False,
    )
    def beta_invitation(self, token, **kw):
        invitation, status = (
            request.env["atelier.beta.invitation"].sudo()._atelier_from_token(token)
        )
        if status != "ok":
            return self._beta_invitation_error(status)
        return request.render(
            "atelier_beta.invitation_page",
            {
                "invitation": invitation,
                "token": token,
                "needs_password": invitation._atelier_needs_password(),
                "error": False,
            },
        )

    @http.route(
        "/beta/invitation/<string:token>",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        csrf=False,
        sitemap=False,
    )
    def beta_invitation_accept(self, token, password=None, confirm_password=None, **kw):
        env = request.env
        Invitation = env["atelier.beta.invitation"].sudo()
        invitation, status = Invitation._atelier_from_token(token)
        if status != "ok":
            return self._beta_invitation_error(status)
        needs_password = invitation._atelier_needs_password()
        if needs_password and (password or "") != (confirm_password or ""):
            return request.render(
                "atelier_beta.invitation_page",
                {
                    "invitation": invitation,
                    "token": token,
                    "needs_password": True,
                    "error": env._("The two passwords differ."),
                },
                status=400,
            )
        try:
            invitation, status, login = Invitation._atelier_accept(
                token, password=password
            )
        except UserError as exc:
            return self._message(
                env._("Invitation to the beta"), str(exc), status=409, kind="warning"
            )
        if status == "password":
            return request.render(
                "atelier_beta.invitation_page",
                {
                    "invitation": invitation,
                    "token": token,
                    "needs_password": True,
                    "error": env._("Choose a password of at least 8 characters."),
                },
                status=400,
            )
        if status != "accepted":
            return self._beta_invitation_error(status)
        if needs_password and request.env.user._is_public():
            request.session.authenticate(
                request.env, {"login": login, "password": password, "type": "password"}
            )
            return request.redirect("/my/beta?welcome=1")
        if not request.env.user._is_public():
            return request.redirect("/my/beta?welcome=1")
        return request.redirect("/web/login?redirect=/my/beta")

    # ------------------------------------------------------------------
    # roadmap
    # ------------------------------------------------------------------
    @http.route(
        "/beta/roadmap",
        type="http",
        auth="public",
        website=True,
        sitemap=True,
        methods=["GET"],
    )
    def beta_roadmap(self, **kw):
        items = (
            request.env["atelier.beta.roadmap.item"]
            .sudo()
            .search([("is_published", "=", True)])
        )
        columns = [
            (
                state,
                label,
                items.filtered(lambda item, state=state: item.state == state),
            )
            for state, label in request.env["atelier.beta.roadmap.item"]
            ._fields["state"]
            ._description_selection(request.env)
            if state != "declined"
        ]
        return request.render(
            "atelier_beta.roadmap_page", {"columns": columns, "states": ROADMAP_STATES}
        )
