# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

BRIDGE_USER_PARAM = "atelier_fleet_obd.bridge_user_id"


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _atelier_obd_bridge_user(self):
        """The bridge's technical user: the one set in Settings, else the
        first active user of the 'OBD bridge' group."""
        Users = self.sudo()
        param = self.env["ir.config_parameter"].sudo().get_param(BRIDGE_USER_PARAM)
        group = self.env.ref("atelier_fleet_obd.group_obd_bridge")
        if param and param.isdigit():
            user = Users.browse(int(param)).exists()
            if user.active and group in user.group_ids:
                return user
        return Users.search([("group_ids", "in", group.ids)], order="id", limit=1)
