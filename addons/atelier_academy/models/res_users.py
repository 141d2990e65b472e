# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.http import request


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _update_last_login(self):
        res = super()._update_last_login()
        # the connection log of the audit pack (Odoo purges res.users.log)
        environ = request.httprequest.environ if request else {}
        self.env["atelier.academy.connection"].sudo()._atelier_log_login(
            self.env.user,
            ip_address=environ.get("REMOTE_ADDR", ""),
            user_agent=environ.get("HTTP_USER_AGENT", ""),
        )
        return res
