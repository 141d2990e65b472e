# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class AtelierDeskPortal(CustomerPortal):
    """The client's card on the portal home: open tickets, next
    appointments, vehicles and courses, read with the client's rights."""

    @http.route()
    def home(self, **kw):
        response = super().home(**kw)
        user = request.env.user
        if user.share and not user._is_public() and hasattr(response, "qcontext"):
            response.qcontext["atelier_card"] = user.partner_id._atelier_portal_card()
        return response
