# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    atelier_placement_result_id = fields.Many2one(
        "atelier.academy.placement.result",
        string="Placement test",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        copy=False,
    )
    atelier_placement_score = fields.Float(
        related="atelier_placement_result_id.global_score", string="Placement score (%)"
    )
    atelier_placement_band_id = fields.Many2one(
        related="atelier_placement_result_id.band_id", string="Placement band"
    )
