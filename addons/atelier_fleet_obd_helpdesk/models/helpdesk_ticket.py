# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    atelier_vehicle_id = fields.Many2one(
        "fleet.vehicle",
        string="Vehicle",
        index="btree_not_null",
        ondelete="set null",
        tracking=True,
    )
    atelier_obd_dtc_id = fields.Many2one(
        "atelier.obd.session.dtc",
        string="Trouble code",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
    )

    @api.onchange("atelier_obd_dtc_id")
    def _onchange_atelier_obd_dtc_id(self):
        if self.atelier_obd_dtc_id.vehicle_id and not self.atelier_vehicle_id:
            self.atelier_vehicle_id = self.atelier_obd_dtc_id.vehicle_id
