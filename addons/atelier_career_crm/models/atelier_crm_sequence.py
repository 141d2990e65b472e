# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierCrmSequence(models.Model):
    _inherit = "atelier.crm.sequence"

    atelier_career_stop = fields.Boolean(
        string="Stops on career activity",
        help="A learner's enrolment stops as soon as they start an interview "
        "session, edit a CV or export one again.",
    )
