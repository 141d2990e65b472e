# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierObdEvent(models.Model):
    _name = "atelier.obd.event"
    _description = "OBD session event"
    _order = "ts, id"

    session_id = fields.Many2one(
        "atelier.obd.session", required=True, ondelete="cascade", index=True
    )
    event_type = fields.Selection(
        [
            ("connected", "Connected"),
            ("disconnected", "Disconnected"),
            ("session_end", "Session end"),
        ],
        required=True,
    )
    ts = fields.Datetime("Time", required=True)
    detail = fields.Char()
