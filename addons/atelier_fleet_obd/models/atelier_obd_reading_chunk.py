# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierObdReadingChunk(models.Model):
    """The readings of one PID received in one batch, as two parallel arrays.

    One row per (batch, PID) instead of one row per reading: a 50,000-reading
    session is a few hundred rows, read with one indexed query for its chart,
    and a batch of 5,000 readings is ~10 inserts. Per-chunk min/max/sum/count
    give the session statistics without opening the arrays.
    See readme/DESCRIPTION.md.
    """

    _name = "atelier.obd.reading.chunk"
    _description = "OBD readings of one PID in one batch"
    _order = "session_id, pid, ts_first"

    session_id = fields.Many2one(
        "atelier.obd.session", required=True, ondelete="cascade", index=True
    )
    batch_id = fields.Many2one("atelier.obd.batch", ondelete="cascade", index=True)
    pid = fields.Char("PID", required=True)
    unit = fields.Char()
    count = fields.Integer(required=True)
    ts_first = fields.Datetime("First reading", required=True)
    ts_last = fields.Datetime("Last reading", required=True)
    value_min = fields.Float("Minimum")
    value_max = fields.Float("Maximum")
    value_sum = fields.Float("Sum")
    ts_list = fields.Json("Timestamps", help="Epoch milliseconds, ascending.")
    value_list = fields.Json("Values")

    _session_pid_ts_idx = models.Index("(session_id, pid, ts_first)")
