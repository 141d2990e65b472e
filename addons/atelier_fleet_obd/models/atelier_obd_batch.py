# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierObdBatch(models.Model):
    """One call of the bridge; its unique UUID makes ``ingest`` idempotent."""

    _name = "atelier.obd.batch"
    _description = "OBD ingest batch"
    _order = "id desc"
    _rec_name = "batch_uuid"

    batch_uuid = fields.Char("Batch UUID", required=True, readonly=True)
    session_id = fields.Many2one(
        "atelier.obd.session", ondelete="cascade", index=True, readonly=True
    )
    bridge_id = fields.Char(readonly=True)
    accepted_count = fields.Integer("Accepted", readonly=True)
    rejected_count = fields.Integer("Rejected", readonly=True)
    answer = fields.Json(readonly=True, help="The acknowledgement sent to the bridge.")

    _batch_uuid_uniq = models.Constraint(
        "UNIQUE (batch_uuid)", "A batch is stored once: its UUID must be unique."
    )
