# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class LinkTrackerClick(models.Model):
    _inherit = "link.tracker.click"

    atelier_step_log_id = fields.Many2one(
        "atelier.crm.enrolment.step",
        string="Sequence e-mail",
        index="btree_not_null",
        ondelete="set null",
    )
