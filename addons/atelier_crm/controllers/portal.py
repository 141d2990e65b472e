# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.exceptions import AccessDenied
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class AtelierCrmPortal(CustomerPortal):
    """A contact's own personal data: see it, download it, erase it."""

    def _atelier_privacy_values(self, **extra):
        partner = request.env.user.partner_id
        data = partner.sudo()._atelier_gdpr_data()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "privacy",
                "summary": {
                    key: len(value)
                    for key, value in data.items()
                    if isinstance(value, list)
                },
                "contact": data["contact"],
                "consents": {
                    "newsletter": partner.atelier_consent_newsletter,
                    "sequence": partner.atelier_consent_sequence,
                    "partner_offers": partner.atelier_consent_partner_offers,
                },
                "error": False,
                **extra,
            }
        )
        return values

    @http.route("/my/privacy", type="http", auth="user", website=True, methods=["GET"])
    def portal_my_privacy(self, **kw):
        return request.render(
            "atelier_crm.portal_my_privacy", self._atelier_privacy_values()
        )

    @http.route(
        "/my/privacy/export", type="http", auth="user", website=True, methods=["GET"]
    )
    def portal_my_privacy_export(self, **kw):
        partner = request.env.user.partner_id
        body = partner.sudo()._atelier_gdpr_export("portal")
        return request.make_response(
            body,
            headers=[
                ("Content-Type", "application/json; charset=utf-8"),
                ("Content-Disposition", 'attachment; filename="my-data.json"'),
            ],
        )

    @http.route(
        "/my/privacy/erase", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_my_privacy_erase(self, login=None, password=None, **kw):
        env = request.env
        user = env.user
        if not user.share:
            return request.render(
                "atelier_crm.portal_my_privacy",
                self._atelier_privacy_values(
                    error=env._("Employees' accounts are erased by an administrator.")
                ),
                status=403,
            )
        if (login or "").strip() != user.login:
            return request.render(
                "atelier_crm.portal_my_privacy",
                self._atelier_privacy_values(
                    error=env._("Type your login to confirm.")
                ),
                status=400,
            )
        try:
            env["res.users"]._check_credentials(
                {"login": user.login, "password": password or "", "type": "password"},
                {"interactive": True},
            )
        except AccessDenied:
            return request.render(
                "atelier_crm.portal_my_privacy",
                self._atelier_privacy_values(error=env._("Wrong password.")),
                status=403,
            )
        user.partner_id.sudo()._atelier_gdpr_erase("portal")
        request.session.logout(keep_db=True)
        return request.redirect("/atelier/crm/erased")

    @http.route(
        "/atelier/crm/erased", type="http", auth="public", website=True, sitemap=False
    )
    def portal_privacy_erased(self, **kw):
        return request.render("atelier_crm.portal_privacy_erased", {})
