# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import AccessError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    atelier_default_phone_region = fields.Char(
        string="Default phone country",
        config_parameter="atelier_base.default_phone_region",
        default="FR",
        help="ISO country code used to read national numbers when neither the "
        "contact, its company nor the database company has a country.",
    )
    atelier_phone_index_count = fields.Integer(
        string="Indexed numbers", compute="_compute_atelier_phone_index_count"
    )

    def set_values(self):
        # public (callable over RPC) and run by Odoo's settings as the
        # administrator: nobody else may write the settings, even with no
        # record (an empty recordset would reset every parameter)
        if not self.env.is_admin():
            raise AccessError(self.env._("Only administrators can change settings."))
        res = super().set_values()
        # the default region is part of the cached region of incoming numbers
        self.env.registry.clear_cache()
        return res

    def _compute_atelier_phone_index_count(self):
        count = self.env["atelier.phone.index"].sudo().search_count([])
        for settings in self:
            settings.atelier_phone_index_count = count

    def action_atelier_rebuild_phone_index(self):
        # minutes of work on a large base: administrators only
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(
                self.env._("Only administrators can rebuild the phone index.")
            )
        self.env["atelier.phone.index"].sudo()._rebuild_all()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("The phone index was rebuilt."),
                "next": {"type": "ir.actions.client", "tag": "reload"},
            },
        }
