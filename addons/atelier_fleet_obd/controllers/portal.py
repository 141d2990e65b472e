# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class AtelierFleetObdPortal(CustomerPortal):
    """Clients' vehicles, diagnostic sessions and reports on the portal.

    Reads go through the portal user's own environment, so the record rules
    of security/atelier_fleet_obd_rules.xml decide what is visible.
    """

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "atelier_vehicle_count" in counters:
            Vehicle = request.env["fleet.vehicle"]
            values["atelier_vehicle_count"] = (
                Vehicle.search_count([]) if Vehicle.has_access("read") else 0
            )
        return values

    def _atelier_get_record(self, model, record_id):
        """The record (sudo) when the user may read it; 404 otherwise."""
        try:
            return self._document_check_access(model, record_id)
        except (AccessError, MissingError) as exc:
            raise NotFound() from exc

    @http.route("/my/vehicles", type="http", auth="user", website=True)
    def portal_my_vehicles(self, **kw):
        Vehicle = request.env["fleet.vehicle"]
        vehicles = Vehicle.search([]) if Vehicle.has_access("read") else Vehicle
        values = self._prepare_portal_layout_values()
        values.update({"vehicles": vehicles.sudo(), "page_name": "atelier_vehicles"})
        return request.render("atelier_fleet_obd.portal_my_vehicles", values)

    @http.route("/my/vehicles/<int:vehicle_id>", type="http", auth="user", website=True)
    def portal_my_vehicle(self, vehicle_id, **kw):
        vehicle = self._atelier_get_record("fleet.vehicle", vehicle_id)
        sessions = request.env["atelier.obd.session"].search(
            [("vehicle_id", "=", vehicle.id)]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "vehicle": vehicle.sudo(),
                "sessions": sessions.sudo(),
                "page_name": "atelier_vehicle",
            }
        )
        return request.render("atelier_fleet_obd.portal_my_vehicle", values)

    @http.route(
        "/my/diagnostics/<int:session_id>/report",
        type="http",
        auth="user",
        website=True,
    )
    def portal_diagnostic_report(self, session_id, **kw):
        session = self._atelier_get_record("atelier.obd.session", session_id)
        pdf, _type = (
            request.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf(
                "atelier_fleet_obd.action_report_obd_session", [session.id]
            )
        )
        filename = f"diagnostic-{session.id}.pdf"
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", f'inline; filename="{filename}"'),
            ],
        )
