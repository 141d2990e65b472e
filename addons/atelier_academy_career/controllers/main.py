# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.http import request

from odoo.addons.atelier_career.controllers.interview import CareerInterview


class CareerAcademy(CareerInterview):
    @http.route(
        "/my/career/cv/<int:cv_id>/academy", type="http", auth="user", methods=["POST"]
    )
    def cv_import_academy(self, cv_id, **kw):
        cv = self._own("atelier.career.cv", cv_id)
        count = cv.action_import_academy()
        if count:
            notice = request.env._(
                "%(count)s entries imported from the academy.", count=count
            )
        else:
            notice = request.env._("Nothing new to import from the academy.")
        return self._redirect_with(f"/my/career/cv/{cv.id}", notice=notice)
