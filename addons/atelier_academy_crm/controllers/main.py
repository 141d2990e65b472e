# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.http import request

from odoo.addons.atelier_crm.controllers.main import AtelierCrmPublic


class AtelierAcademyCrmPublic(AtelierCrmPublic):
    @http.route()
    def placement(self, **kw):
        """The J9 e-mail's link: the academy's placement test."""
        survey = (
            request.env["survey.survey"]
            .sudo()
            .search(
                [("atelier_kind", "=", "placement"), ("active", "=", True)], limit=1
            )
        )
        if survey:
            return request.redirect(f"/survey/start/{survey.access_token}")
        return super().placement(**kw)
