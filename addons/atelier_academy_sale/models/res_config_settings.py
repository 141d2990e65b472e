# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    atelier_academy_coach_assignment = fields.Selection(
        [
            ("least_loaded", "Least busy coach of the package"),
            ("fixed", "Always the default coach"),
        ],
        string="Coach of an online purchase",
        config_parameter="atelier_academy_sale.coach_assignment",
        default="least_loaded",
    )
    atelier_academy_default_coach_id = fields.Many2one(
        "res.users",
        string="Default coach",
        config_parameter="atelier_academy_sale.default_coach_id",
        domain=lambda self: [
            ("all_group_ids", "in", self.env.ref("atelier_base.group_coach").ids)
        ],
        help="Coaches every purchase in the fixed mode, and the purchases of "
        "packages that list no coach in the other mode.",
    )

    @api.constrains("atelier_academy_default_coach_id")
    def _check_atelier_academy_default_coach(self):
        for settings in self:
            coach = settings.atelier_academy_default_coach_id
            if coach and not coach.has_group("atelier_base.group_coach"):
                raise ValidationError(self.env._("The default coach must be a coach."))
