# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request

from odoo.addons.atelier_beta.controllers.portal import AtelierBetaPortal
from odoo.addons.atelier_fleet_obd.controllers.portal import AtelierFleetObdPortal


class AtelierBetaFleetObdPortal(AtelierBetaPortal):
    def _beta_feedback_form_values(self, tester):
        values = super()._beta_feedback_form_values(tester)
        values["sessions"] = request.env[
            "atelier.beta.feedback"
        ]._atelier_tester_sessions(tester)
        return values

    @http.route()
    def portal_my_beta(self, welcome=None, vehicle_error=None, **kw):
        response = super().portal_my_beta(welcome=welcome, **kw)
        tester = self._beta_tester()
        if tester and hasattr(response, "qcontext"):
            response.qcontext.update(
                beta_sessions=request.env[
                    "atelier.beta.feedback"
                ]._atelier_tester_sessions(tester, limit=5),
                beta_vehicles=tester._atelier_vehicles(),
                vehicle_error=vehicle_error,
                vehicle_form=kw,
            )
        return response

    @http.route(
        "/my/beta/vehicle", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_my_beta_vehicle(self, vin=None, model_name=None, plate=None, **kw):
        tester = self._beta_require_tester()
        try:
            tester._atelier_register_vehicle(vin, model_name, plate)
        except ValidationError as exc:
            response = self.portal_my_beta(
                vehicle_error=str(exc),
                vin=vin or "",
                model_name=model_name or "",
                plate=plate or "",
            )
            response.status_code = 400
            return response
        return request.redirect("/my/beta")


class AtelierBetaVehiclePortal(AtelierFleetObdPortal):
    @http.route()
    def portal_my_vehicle(self, vehicle_id, **kw):
        """The vehicle page offers testers to report a problem with a session."""
        response = super().portal_my_vehicle(vehicle_id, **kw)
        if hasattr(response, "qcontext"):
            response.qcontext["atelier_beta_tester"] = bool(
                request.env["atelier.beta.signup"]
                .sudo()
                .search_count(
                    [("user_id", "=", request.env.uid), ("state", "=", "tester")],
                    limit=1,
                )
            )
        return response
