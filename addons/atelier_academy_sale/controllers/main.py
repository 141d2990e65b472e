# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.atelier_academy.controllers.main import AtelierAcademyPortal


class AtelierAcademySalePortal(AtelierAcademyPortal):
    """The buyer of a team package names the learners from the portal.

    Thin: find the purchase the user bought, call the model, render.
    """

    def _prepare_home_portal_values(self, counters):
        """The buyer of a team package finds "My training" on the portal
        home even before being a learner."""
        values = super()._prepare_home_portal_values(counters)
        if "atelier_academy_count" in counters:
            Purchase = request.env["atelier.academy.purchase"]
            if Purchase.has_access("read"):
                values["atelier_academy_count"] += Purchase.search_count(
                    [
                        ("partner_id", "=", request.env.user.partner_id.id),
                        ("kind", "=", "team"),
                        ("state", "=", "active"),
                    ]
                )
        return values

    def _atelier_dashboard_values(self, error=None, notice=None):
        values = super()._atelier_dashboard_values(error=error, notice=notice)
        values["team_purchases"] = request.env["atelier.academy.purchase"].search(
            [
                ("partner_id", "=", request.env.user.partner_id.id),
                ("kind", "=", "team"),
                ("state", "=", "active"),
            ]
        )
        return values

    def _atelier_team_purchase(self, purchase_id):
        """The team purchase the current user bought; 404 otherwise."""
        try:
            purchase = request.env["atelier.academy.purchase"].browse(int(purchase_id))
            purchase.check_access("read")
            purchase.exists().ensure_one()
            purchase._atelier_check_buyer()
        except (AccessError, MissingError, ValueError, TypeError) as exc:
            raise NotFound() from exc
        if purchase.sudo().kind != "team":
            raise NotFound()
        return purchase

    def _atelier_team_values(self, purchase, error=None, notice=None, form=None):
        values = self._prepare_portal_layout_values()
        purchase_sudo = purchase.sudo()
        values.update(
            {
                "page_name": "atelier_academy_team",
                "purchase": purchase_sudo,
                "enrolments": purchase_sudo.enrolment_ids.sorted("id"),
                "error": error,
                "notice": notice,
                "form": form or {},
            }
        )
        return values

    @http.route(
        "/my/academy/team/<int:purchase_id>", type="http", auth="user", website=True
    )
    def portal_academy_team(self, purchase_id, invited=None, **kw):
        purchase = self._atelier_team_purchase(purchase_id)
        notice = None
        if invited:
            notice = request.env._("The invitation is on its way.")
        return request.render(
            "atelier_academy_sale.portal_academy_team",
            self._atelier_team_values(purchase, notice=notice),
        )

    @http.route(
        "/my/academy/team/<int:purchase_id>/invite",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_academy_team_invite(self, purchase_id, name=None, email=None, **kw):
        purchase = self._atelier_team_purchase(purchase_id)
        try:
            purchase._atelier_invite(name, email)
        except (UserError, ValidationError) as exc:
            request.env.cr.rollback()
            status = 400 if isinstance(exc, ValidationError) else 409
            return request.render(
                "atelier_academy_sale.portal_academy_team",
                self._atelier_team_values(
                    purchase,
                    error=exc.args[0],
                    form={"name": (name or "")[:128], "email": (email or "")[:254]},
                ),
                status=status,
            )
        return request.redirect(f"/my/academy/team/{purchase.id}?invited=1")
