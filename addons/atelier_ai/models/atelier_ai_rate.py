# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import time

from odoo import api, fields, models
from odoo.tools import SQL


class AtelierAiRate(models.Model):
    """Request counters per visitor and time window, shared by every worker
    (one upsert per request). Keys are hashed with the database secret: no
    IP address is stored."""

    _name = "atelier.ai.rate"
    _description = "AI rate-limit counter"
    _log_access = False

    key = fields.Char(required=True, readonly=True)
    window_start = fields.Integer(
        required=True, readonly=True, help="Start of the window (epoch seconds)"
    )
    count = fields.Integer(readonly=True)

    _key_window_start_uniq = models.Constraint(
        "UNIQUE (key, window_start)", "One counter per key and window."
    )

    @api.model
    def _hash(self, bucket, value):
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        digest = hashlib.sha256(f"{secret}:{bucket}:{value}".encode()).hexdigest()
        return f"{bucket}:{digest[:32]}"

    @api.model
    def _hit(self, bucket, value, limit, period):
        """Count one request of ``value`` (an IP address, a session id) in
        ``bucket``; False when it is over ``limit`` requests in the current
        window of ``period`` seconds."""
        if not value or limit <= 0:
            return True
        window = int(time.time()) // period * period
        self.env.cr.execute(
            SQL(
                """INSERT INTO atelier_ai_rate (key, window_start, count)
                   VALUES (%(key)s, %(window)s, 1)
                   ON CONFLICT (key, window_start)
                   DO UPDATE SET count = atelier_ai_rate.count + 1
                   RETURNING count""",
                key=self._hash(bucket, value),
                window=window,
            )
        )
        return self.env.cr.fetchone()[0] <= limit

    @api.model
    def _purge(self):
        """Drop the counters of windows older than a day."""
        self.env.cr.execute(
            SQL(
                "DELETE FROM atelier_ai_rate WHERE window_start < %(limit)s",
                limit=int(time.time()) - 86400,
            )
        )
