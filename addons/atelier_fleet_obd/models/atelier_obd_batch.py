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
    content_hash = fields.Char(
        readonly=True,
        help="SHA-256 of the batch's content: the same UUID with another content "
        "is a conflict, not a duplicate.",
    )
    accepted_count = fields.Integer("Accepted", readonly=True)
    rejected_count = fields.Integer("Rejected", readonly=True)
    clock_offset = fields.Float(
        "Clock correction (s)",
        readonly=True,
        help="Seconds added to the batch's timestamps for the bridge's clock.",
    )
    parked_count = fields.Integer(
        "Kept aside",
        readonly=True,
        help="Items refused only for their time, kept to be recovered.",
    )
    parked_items = fields.Json(
        "Items kept aside",
        readonly=True,
        help="The items refused only for their time, with the reason.",
    )
    answer = fields.Json(readonly=True, help="The acknowledgement sent to the bridge.")

    _batch_uuid_uniq = models.Constraint(
        "UNIQUE (batch_uuid)", "A batch is stored once: its UUID must be unique."
    )
