# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierAppointmentType(models.Model):
    _inherit = "atelier.appointment.type"

    atelier_academy_coach_id = fields.Many2one(
        "res.users",
        string="Coaching sessions of",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
        help="Learners of this coach book their coaching hours with this type "
        "from their training dashboard (it is not offered on /book).",
    )

    _atelier_academy_coach_uniq = models.UniqueIndex(
        "(atelier_academy_coach_id) WHERE atelier_academy_coach_id IS NOT NULL"
    )
