# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierBooking(models.Model):
    _inherit = "atelier.booking"

    atelier_obd_dtc_id = fields.Many2one(
        "atelier.obd.session.dtc",
        string="Trouble code",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        readonly=True,
    )
    atelier_vehicle_id = fields.Many2one(
        related="atelier_obd_dtc_id.vehicle_id", string="Diagnosed vehicle"
    )
