# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import binascii

from odoo import fields, models
from odoo.exceptions import UserError


class AtelierCareerScenarioImport(models.TransientModel):
    """Import interviewers (question banks and grids) from a CSV file."""

    _name = "atelier.career.scenario.import"
    _description = "Import interview scenarios"

    file = fields.Binary("CSV file", required=True)
    filename = fields.Char()

    def action_import(self):
        self.ensure_one()
        if not self.env.user.has_group("atelier_base.group_coach"):
            raise UserError(self.env._("Only coaches import scenarios."))
        try:
            raw = base64.b64decode(self.file or b"")
        except (binascii.Error, ValueError):
            raise UserError(self.env._("The file cannot be read.")) from None
        personas = self.env["atelier.career.persona"]._import_csv(raw)
        return {
            "type": "ir.actions.act_window",
            "res_model": "atelier.career.persona",
            "view_mode": "list,form",
            "domain": [("id", "in", personas.ids)],
            "name": self.env._("Imported interviewers"),
        }
