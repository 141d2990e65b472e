# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.events import EVENT_TYPES


class AtelierCallEvent(models.Model):
    """One event received from a telephony line, kept for idempotency.

    The unique key (line, event id) is what makes a retried or duplicated
    delivery harmless: the stored ``response`` is answered again.
    """

    _name = "atelier.call.event"
    _description = "Telephony event"
    _order = "id desc"
    _rec_name = "event_id"

    line_id = fields.Many2one(
        "atelier.cti.line", required=True, ondelete="cascade", readonly=True
    )
    event_id = fields.Char(required=True, readonly=True)
    event_type = fields.Selection(
        [(t, t.capitalize()) for t in EVENT_TYPES], required=True, readonly=True
    )
    event_at = fields.Datetime(string="Event time", readonly=True)
    call_id = fields.Many2one(
        "atelier.call", ondelete="cascade", index="btree_not_null", readonly=True
    )
    response = fields.Json(readonly=True)

    _line_event_uniq = models.Constraint(
        "UNIQUE (line_id, event_id)", "An event is processed once per line."
    )
    _line_date_idx = models.Index("(line_id, create_date)")

    @api.model
    def _cti_stored_answer(self, line, event_id):
        """The answer given to this event, or None when it is new."""
        self.env.cr.execute(
            SQL(
                "SELECT response FROM atelier_call_event "
                "WHERE line_id = %s AND event_id = %s",
                line.id,
                event_id,
            )
        )
        row = self.env.cr.fetchone()
        return None if row is None else (row[0] or {})

    @api.model
    def _cti_claim(self, line, data, rate_limit=0):
        """Insert the event row; return its id, or None.

        None: the event is already stored on this line, or the line received
        ``rate_limit`` events in the last 60 seconds (0: no limit; counted in
        the table, so shared by every worker). An ``INSERT … ON CONFLICT DO
        NOTHING`` on the unique key, not a search: concurrent deliveries of
        one event cannot both pass.
        """
        within_rate = SQL("TRUE")
        if rate_limit:
            within_rate = SQL(
                "(SELECT count(*) FROM atelier_call_event WHERE line_id = %s AND "
                "create_date > (now() at time zone 'UTC') - interval '60 seconds') "
                "< %s",
                line.id,
                rate_limit,
            )
        self.env.cr.execute(
            SQL(
                "INSERT INTO atelier_call_event (line_id, event_id, event_type, "
                "event_at, create_uid, write_uid, create_date, write_date) "
                "SELECT %s, %s, %s, %s, %s, %s, now() at time zone 'UTC', "
                "now() at time zone 'UTC' WHERE %s "
                "ON CONFLICT (line_id, event_id) DO NOTHING RETURNING id",
                line.id,
                data["event_id"],
                data["event"],
                data["at"],
                self.env.uid,
                self.env.uid,
                within_rate,
            ),
            # a concurrent delivery fails here, and Odoo retries the request
            log_exceptions=False,
        )
        row = self.env.cr.fetchone()
        return row[0] if row else None

    @api.model
    def _cti_store_answer(self, event_id, call_id, answer):
        """Link the claimed event to its call and keep the answer given."""
        self.env.cr.execute(
            SQL(
                "UPDATE atelier_call_event SET call_id = %s, response = %s "
                "WHERE id = %s",
                call_id,
                json.dumps(answer),
                event_id,
            )
        )
        self.browse(event_id).invalidate_recordset(["call_id", "response"])
