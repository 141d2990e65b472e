# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.helpdesk_type.controllers.main import HelpdeskTicketControllerTypes


class AtelierHelpdeskTicketController(HelpdeskTicketControllerTypes):
    @http.route("/ticket/close", type="http", auth="user", methods=["POST"])
    def support_ticket_close(self, **kw):
        """OCA's route closes any ticket id it is given (OCA/helpdesk#1089):
        only the ticket's client (or an employee allowed to edit it) may."""
        try:
            ticket_id = int(kw.get("ticket_id"))
            stage_id = int(kw.get("stage_id"))
        except (TypeError, ValueError) as exc:
            raise NotFound() from exc
        ticket = request.env["helpdesk.ticket"].browse(ticket_id)
        stage = request.env["helpdesk.ticket.stage"].sudo().browse(stage_id)
        try:
            ticket._atelier_portal_close(stage)
        except (AccessError, MissingError) as exc:
            raise Forbidden() from exc
        return request.redirect(f"/my/ticket/{ticket.id}")

    def _prepare_submit_ticket_vals(self, **kw):
        vals = super()._prepare_submit_ticket_vals(**kw)
        vals["atelier_channel"] = "portal"
        vals.pop("channel_id", None)
        if vals.get("category_id"):
            allowed = self._get_categories(**kw)
            if vals["category_id"] not in allowed.ids:
                vals["category_id"] = False
        return vals

    @http.route("/submitted/ticket", type="http", auth="user", website=True, csrf=True)
    def submit_ticket(self, **kw):
        files = request.httprequest.files.getlist("attachment")
        refused = request.env["helpdesk.ticket"]._atelier_oversized_uploads(files)
        if refused:
            values = self._get_create_new_ticket_values(**kw)
            values.update(
                types=self._get_types(),
                ticket_type_id_required=(
                    request.env.company.helpdesk_mgmt_portal_type_id_required
                ),
                atelier_error=request.env[
                    "helpdesk.ticket"
                ]._atelier_refused_attachment_text(refused),
                atelier_subject=kw.get("subject") or "",
                atelier_description=kw.get("description") or "",
            )
            return request.render("helpdesk_mgmt.portal_create_ticket", values)
        return super().submit_ticket(**kw)
