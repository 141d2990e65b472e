# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import logging
import math
import uuid
from datetime import timedelta

from psycopg2.extras import Json

from odoo import api, fields, models
from odoo.exceptions import AccessError, ConcurrencyError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.misc import format_datetime

from odoo.addons.atelier_dtc.tools.dtc_codes import DTC_CODE_RE

from ..tools import charts as charts_tools
from ..tools import ingest_rules as rules
from ..tools.pids import KNOWN_PIDS, MAIN_PIDS
from ..tools.vin import VinError, validate_vin

_logger = logging.getLogger(__name__)

BRIDGE_GROUP = "atelier_fleet_obd.group_obd_bridge"
FUTURE_SKEW = timedelta(minutes=5)  # bridge clocks drift; beyond this: rejected
START_SKEW = timedelta(seconds=2)  # tolerance before the session start
# a bridge clock further off than this (measured with the batch's sent_at) is
# corrected; closer, the difference is network time and is left alone
CLOCK_TOLERANCE = timedelta(seconds=30)
MAX_ITEMS = 200_000  # per list and batch: protects the server from a runaway bridge
DTC_STATUSES = ("stored", "pending", "permanent")
EVENT_TYPES = ("connected", "disconnected", "session_end")
ITEM_LISTS = (("reading", "readings"), ("dtc", "dtcs"), ("event", "events"))
KIND_ORDER = {"reading": 0, "dtc": 1, "event": 2}


class ObdBatchConflict(UserError):
    """A batch UUID already stored with another content (HTTP 409)."""

    http_status = 409


class AtelierObdSession(models.Model):
    """One connection of the diagnostic bridge to a car."""

    _name = "atelier.obd.session"
    _description = "OBD diagnostic session"
    _order = "started_at desc, id desc"

    session_uuid = fields.Char("Session UUID", required=True, readonly=True, copy=False)
    vehicle_id = fields.Many2one(
        "fleet.vehicle", index="btree_not_null", ondelete="set null"
    )
    partner_id = fields.Many2one(
        related="vehicle_id.atelier_owner_id",
        string="Owner",
        store=True,
        index="btree_not_null",
    )
    vin = fields.Char("VIN", index="btree_not_null", readonly=True)
    bridge_id = fields.Char(readonly=True)
    adapter = fields.Char(readonly=True)
    protocol = fields.Char(readonly=True)
    started_at = fields.Datetime("Start", required=True, readonly=True)
    ended_at = fields.Datetime("End", readonly=True)
    odometer = fields.Float(
        digits=(12, 0), help="Odometer (km) reported for this session."
    )
    state = fields.Selection(
        [("running", "Running"), ("done", "Ended")],
        string="Status",
        default="running",
        required=True,
        readonly=True,
    )
    readiness = fields.Json(
        "Readiness monitors",
        readonly=True,
        help="Emission monitor name -> complete / incomplete / unavailable.",
    )
    clock_offset = fields.Float(
        "Bridge clock correction (s)",
        readonly=True,
        help="Seconds added to the bridge's timestamps because its clock was off "
        "when it sent the session's first batch.",
    )
    note = fields.Text("Technician notes")
    reading_count = fields.Integer("Readings", readonly=True)
    dtc_ids = fields.One2many(
        "atelier.obd.session.dtc", "session_id", string="Trouble codes"
    )
    dtc_count = fields.Integer("Codes", compute="_compute_dtc_count")
    kept_count = fields.Integer(
        "Kept aside",
        compute="_compute_kept_count",
        help="Items the bridge sent that were refused only for their time (a "
        "clock that jumped): kept, a manager can store them with a shift.",
    )
    event_ids = fields.One2many("atelier.obd.event", "session_id", string="Events")
    batch_ids = fields.One2many("atelier.obd.batch", "session_id", string="Batches")
    chunk_ids = fields.One2many(
        "atelier.obd.reading.chunk", "session_id", string="Reading chunks"
    )

    _session_uuid_uniq = models.Constraint(
        "UNIQUE (session_uuid)", "A diagnostic session UUID must be unique."
    )

    @api.depends("dtc_ids")
    def _compute_dtc_count(self):
        for session in self:
            session.dtc_count = len(session.dtc_ids)

    def _compute_kept_count(self):
        counts = dict(
            self.env["atelier.obd.batch"]
            .sudo()
            ._read_group(
                [("session_id", "in", self.ids), ("parked_count", ">", 0)],
                ["session_id"],
                ["parked_count:sum"],
            )
        )
        for session in self:
            session.kept_count = counts.get(session._origin, 0)

    @api.depends("vehicle_id", "vin", "started_at")
    @api.depends_context("tz")
    def _compute_display_name(self):
        # the start in the reader's time zone (the context's, else the user's)
        tz = self.env.context.get("tz") or self.env.user.tz or "UTC"
        for session in self:
            subject = (
                session.vehicle_id.display_name
                or session.vin
                or self.env._("Unknown vehicle")
            )
            when = (
                format_datetime(self.env, session.started_at, tz=tz, dt_format="short")
                if session.started_at
                else ""
            )
            session.display_name = f"{subject} {when}".strip()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_print_report(self):
        self.check_access("read")
        return self.env.ref(
            "atelier_fleet_obd.action_report_obd_session"
        ).report_action(self)

    def action_atelier_recover(self):
        """The wizard storing the items kept aside for their time (managers)."""
        self.ensure_one()
        self.check_access("write")
        if not self.env.user.has_group("atelier_base.group_manager"):
            raise AccessError(
                self.env._("Only a manager can recover the items kept aside.")
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Recover the items kept aside"),
            "res_model": "atelier.obd.session.recover",
            "view_mode": "form",
            "target": "new",
            "context": {"default_session_id": self.id},
        }

    # ------------------------------------------------------------------
    # Public RPC: the bridge's only entry point
    # ------------------------------------------------------------------
    @api.model
    def ingest(self, payload):
        """Store one batch of the diagnostic bridge; idempotent by ``batch_uuid``.

        Only users of the "OBD bridge" group may call it; the writes are done
        with sudo because that group has no access right of its own. Bad items
        are rejected one by one (listed in the answer; those refused for their
        time only are kept aside, recoverable); a malformed payload raises a
        ValidationError (HTTP 422, XML-RPC fault 2) and the same batch UUID
        with another content an ObdBatchConflict (HTTP 409, fault 2): both are
        permanent, the bridge parks the batch. See readme/DESCRIPTION.md.
        """
        if not (self.env.su or self.env.user.has_group(BRIDGE_GROUP)):
            raise AccessError(
                self.env._("Only the OBD bridge user can send diagnostic data.")
            )
        header = self._ingest_check_payload(payload)
        sudo_self = self.sudo()
        batch_id = sudo_self._ingest_claim_batch(header)
        if not batch_id:
            return sudo_self._ingest_duplicate_answer(header)
        return sudo_self._ingest_store(batch_id, header, payload)

    # ------------------------------------------------------------------
    # Ingest helpers
    # ------------------------------------------------------------------
    @api.model
    def _ingest_refusal(self, reason, **params):
        """The ValidationError of a malformed payload. An expected refusal:
        Odoo's request handler logs it at INFO, not as a warning."""
        error = ValidationError(
            self.env._("Malformed OBD payload: %(reason)s", reason=reason % params)
        )
        error.loglevel = logging.INFO
        return error

    @api.model
    def _ingest_check_payload(self, payload):
        """The normalized header of the payload, or ValidationError."""

        def fail(reason, **params):
            raise self._ingest_refusal(reason, **params)

        if not isinstance(payload, dict):
            fail(
                "the payload must be an object, not %(type)s",
                type=type(payload).__name__,
            )
        if rules.max_depth(payload, rules.MAX_DEPTH) > rules.MAX_DEPTH:
            fail("it is nested deeper than %(max)s levels", max=rules.MAX_DEPTH)
        header = {}
        for key in ("batch_uuid", "session_uuid"):
            value = payload.get(key)
            try:
                header[key] = (
                    str(uuid.UUID(value))
                    if isinstance(value, str) and len(value) <= 64
                    else None
                )
            except ValueError:
                header[key] = None
            if not header[key]:
                fail("%(key)s is missing or is not a UUID", key=key)
        bridge = payload.get("bridge_id")
        if not isinstance(bridge, str) or not bridge.strip():
            fail("bridge_id is missing")
        header["bridge_id"] = bridge.strip()[:64]
        for key in ("adapter", "protocol"):
            value = payload.get(key)
            if value is not None and not isinstance(value, str):
                fail("%(key)s must be a string", key=key)
            header[key] = (value or "").strip()[:128]
        vin = payload.get("vin")
        header["vin"] = False
        if vin not in (None, ""):
            if not isinstance(vin, str) or len(vin) > 64:
                fail("vin must be a string or null")
            try:
                # a car answers with its own VIN: structure only, no check digit
                header["vin"] = validate_vin(vin, check_structure_only=True)
            except VinError as exc:
                fail("vin: %(error)s", error=str(exc))
        now = fields.Datetime.now()
        header["now"] = now
        header["clock_offset"] = None
        if payload.get("sent_at") is not None:
            try:
                sent_at = rules.parse_ts(payload["sent_at"])
            except rules.RuleError:
                fail("sent_at is not an ISO 8601 timestamp")
            offset = now - sent_at
            header["clock_offset"] = (
                offset if abs(offset) > CLOCK_TOLERANCE else timedelta(0)
            )
        try:
            started_at = rules.parse_ts(payload.get("started_at"))
        except rules.RuleError as exc:
            fail(
                "started_at is missing or is not an ISO 8601 timestamp of the years "
                "2000 to 2199 (%(error)s)",
                error=str(exc),
            )
        header["started_at"] = started_at
        if started_at + (header["clock_offset"] or timedelta(0)) > now + FUTURE_SKEW:
            fail(
                "started_at %(value)s is in the future",
                value=fields.Datetime.to_string(started_at),
            )
        for key in ("readings", "dtcs", "events"):
            items = payload.get(key, [])
            if items is None:
                items = []
            if not isinstance(items, list):
                fail("%(key)s must be a list", key=key)
            if len(items) > MAX_ITEMS:
                fail("%(key)s has more than %(max)s items", key=key, max=MAX_ITEMS)
        header["odometer"] = None
        if payload.get("odometer") is not None:
            try:
                header["odometer"] = rules.odometer(payload["odometer"])
            except rules.RuleError as exc:
                fail("%(error)s", error=str(exc))
        header["readiness"] = None
        if payload.get("readiness") is not None:
            try:
                header["readiness"] = rules.readiness(payload["readiness"])
            except rules.RuleError as exc:
                fail("%(error)s", error=str(exc))
        header["content_hash"] = rules.content_hash(payload)
        return header

    def _ingest_claim_batch(self, header):
        """Insert the batch row first; the unique key decides who stores it.

        ``ON CONFLICT DO NOTHING`` returns no row when the UUID is known: the
        database, not a prior search, guarantees that a batch is stored once.
        A concurrent transaction storing the same batch makes PostgreSQL wait,
        then raise a serialization failure that Odoo's RPC layer retries: an
        expected outcome, not logged as a "bad query" error.
        """
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO atelier_obd_batch
                    (batch_uuid, bridge_id, content_hash, create_uid, create_date,
                     write_uid, write_date)
                VALUES (%s, %s, %s, %s, now() at time zone 'UTC',
                        %s, now() at time zone 'UTC')
                ON CONFLICT (batch_uuid) DO NOTHING
                RETURNING id
                """,
                header["batch_uuid"],
                header["bridge_id"],
                header["content_hash"],
                self.env.uid,
                self.env.uid,
            ),
            log_exceptions=False,
        )
        row = self.env.cr.fetchone()
        return row[0] if row else None

    def _ingest_duplicate_answer(self, header):
        batch_uuid = header["batch_uuid"]
        self.env.cr.execute(
            SQL(
                "SELECT answer, content_hash FROM atelier_obd_batch "
                "WHERE batch_uuid = %s",
                batch_uuid,
            )
        )
        row = self.env.cr.fetchone()
        if not row or not row[0]:
            # claimed by a transaction we cannot see yet: let the RPC layer retry
            raise ConcurrencyError(f"OBD batch {batch_uuid} is being stored")
        answer, stored_hash = row
        if stored_hash and stored_hash != header["content_hash"]:
            _logger.info("OBD batch %s received again with another content", batch_uuid)
            error = ObdBatchConflict(
                self.env._(
                    "conflict: the batch %(batch)s was already received with "
                    "another content; the new content was not stored.",
                    batch=batch_uuid,
                )
            )
            error.loglevel = logging.INFO
            raise error
        answer = dict(answer)
        answer["status"] = "duplicate"
        _logger.info("OBD batch %s received again: duplicate", batch_uuid)
        return answer

    def _ingest_store(self, batch_id, header, payload):
        session, created = self._ingest_session(header)
        offset = header["clock_offset"]
        stored_offset = timedelta(seconds=session.clock_offset or 0.0)
        if created or offset is None or abs(offset - stored_offset) <= CLOCK_TOLERANCE:
            offset = stored_offset
        lists = {key: payload.get(key) or [] for key in ("readings", "dtcs", "events")}
        if header["vin"] and session.vin and header["vin"] != session.vin:
            reason = (
                f"vin_mismatch: the batch VIN {header['vin']} differs from the "
                f"session VIN {session.vin}"
            )
            rejected = [
                {"index": index, "kind": kind, "reason": reason}
                for kind, key in ITEM_LISTS
                for index in range(len(lists[key]))
            ]
            accepted, parked = 0, []
        else:
            if header["vin"] and not session.vin:
                session._ingest_set_vin(header["vin"])
            accepted, rejected, parked = session._ingest_items(
                batch_id, lists, offset, header["now"]
            )
            vals = {}
            if header["odometer"] is not None:
                vals["odometer"] = header["odometer"]
                session._ingest_update_mileage(header["odometer"])
            if header["readiness"] is not None:
                vals["readiness"] = header["readiness"]
            if vals:
                session.write(vals)
        answer = {
            "batch_uuid": header["batch_uuid"],
            "status": "stored",
            "session_id": session.id,
            "accepted": accepted,
            "rejected": rejected,
            "kept": len(parked),
            "clock_offset": offset.total_seconds(),
        }
        self.env.cr.execute(
            SQL(
                """
                UPDATE atelier_obd_batch
                   SET session_id = %s, accepted_count = %s, rejected_count = %s,
                       answer = %s, clock_offset = %s, parked_count = %s,
                       parked_items = %s
                 WHERE id = %s
                """,
                session.id,
                accepted,
                len(rejected),
                Json(answer),
                offset.total_seconds(),
                len(parked),
                Json(parked) if parked else None,
                batch_id,
            )
        )
        self.env["atelier.obd.batch"].invalidate_model()
        session.invalidate_recordset(["batch_ids"])
        if offset:
            _logger.info(
                "OBD batch %s: bridge clock corrected by %+.1f s",
                header["batch_uuid"],
                offset.total_seconds(),
            )
        if rejected:
            _logger.info(
                "OBD batch %s: %s item(s) accepted, %s rejected (%s kept aside)",
                header["batch_uuid"],
                accepted,
                len(rejected),
                len(parked),
            )
        return answer

    def _ingest_items(self, batch_id, lists, offset, now):
        """Validate and store the readings, codes and events of one batch;
        ``(accepted, rejected, parked)``: the rejections as the answer lists
        them, the items refused only for their time as kept aside."""
        self.ensure_one()
        rejected, parked = [], []
        window = (self.started_at - START_SKEW, now + FUTURE_SKEW)
        n_readings, last_ts = self._ingest_readings(
            batch_id, lists["readings"], window, offset, rejected, parked
        )
        n_dtcs = self._ingest_dtcs(lists["dtcs"], window, offset, rejected, parked)
        n_events, end_ts = self._ingest_events(
            lists["events"], window, offset, rejected, parked
        )
        vals = {}
        if n_readings:
            vals["reading_count"] = self.reading_count + n_readings
        ends = [ts for ts in (self.ended_at, last_ts) if ts]
        if end_ts:
            vals.update(state="done", ended_at=max([end_ts, *ends]))
        elif last_ts and (not self.ended_at or last_ts > self.ended_at):
            vals["ended_at"] = last_ts
        if vals:
            self.write(vals)
        rejected.sort(key=lambda r: (KIND_ORDER[r["kind"]], r["index"]))
        return n_readings + n_dtcs + n_events, rejected, parked

    @api.model
    def _ingest_reject(self, kind, index, reason, rejected, parked, item=None):
        """Record a rejected item; one refused for its time only is kept aside
        (``item``: its validated fields) to be recovered."""
        entry = {"index": index, "kind": kind, "reason": reason}
        if item is not None and reason.startswith(rules.TIME_REASONS):
            entry["kept"] = True
            parked.append({"index": index, "kind": kind, "reason": reason, **item})
        rejected.append(entry)

    @api.model
    def _ingest_session(self, header):
        """``(session, created)``: the session of the batch, inserted with
        ``INSERT … ON CONFLICT (session_uuid) DO NOTHING``.

        The first batches of a new session may arrive together: the unique
        key, not a prior search, decides which one creates it. A concurrent
        creator makes PostgreSQL wait, then raise a serialization failure
        that Odoo's RPC layer retries (the retry finds the session).
        """
        vehicle = self._ingest_vehicle(header["vin"])
        offset = header["clock_offset"] or timedelta(0)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO atelier_obd_session
                    (session_uuid, bridge_id, adapter, protocol, started_at, vin,
                     vehicle_id, partner_id, state, reading_count, clock_offset,
                     create_uid, create_date, write_uid, write_date)
                VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 'running', 0, %s,
                        %s, now() at time zone 'UTC', %s, now() at time zone 'UTC')
                ON CONFLICT (session_uuid) DO NOTHING
                RETURNING id
                """,
                header["session_uuid"],
                header["bridge_id"],
                header["adapter"],
                header["protocol"],
                header["started_at"] + offset,
                header["vin"] or None,
                vehicle.id or None,
                vehicle.atelier_owner_id.id or None,
                offset.total_seconds(),
                self.env.uid,
                self.env.uid,
            ),
            log_exceptions=False,
        )
        row = self.env.cr.fetchone()
        if row:
            if vehicle:
                vehicle.invalidate_recordset(["atelier_obd_session_ids"])
            return self.browse(row[0]), True
        session = self.search([("session_uuid", "=", header["session_uuid"])], limit=1)
        if not session:
            # committed by a transaction our snapshot cannot see: retried
            raise ConcurrencyError(
                f"OBD session {header['session_uuid']} is being created"
            )
        session._ingest_lock()
        return session, False

    def _ingest_lock(self):
        """Batches of one session are stored one after the other: lock the
        session row before updating its counters. A batch arriving while
        another one of the session is being stored waits here, then gets a
        serialization failure (the row changed after its snapshot) that Odoo
        retries; without the lock, the ORM's UPDATE would fail the same way
        but log a "bad query" error. ``NO KEY UPDATE``: the rows that refer to
        the session (chunks, codes, events) are not blocked."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM atelier_obd_session WHERE id = %s FOR NO KEY UPDATE",
                self.id,
            ),
            log_exceptions=False,
        )

    @api.model
    def _ingest_vehicle(self, vin):
        if not vin:
            return self.env["fleet.vehicle"]
        return (
            self.env["fleet.vehicle"]
            .sudo()
            .with_context(active_test=False)
            .search([("vin_sn", "=", vin)], limit=1)
        )

    def _ingest_update_mileage(self, km):
        """The vehicle's mileage (Odoo's odometer log) follows what the car
        says when it is higher: the client form shows it."""
        vehicle = self.vehicle_id
        if vehicle and vehicle.odometer_unit == "kilometers" and km > vehicle.odometer:
            self.env["fleet.vehicle.odometer"].create(
                {
                    "vehicle_id": vehicle.id,
                    "value": km,
                    "date": fields.Date.context_today(self),
                }
            )
            vehicle.invalidate_recordset(["odometer"])  # fleet's compute has no depends

    def _ingest_set_vin(self, vin):
        self.ensure_one()
        vals = {"vin": vin}
        if not self.vehicle_id:
            vals["vehicle_id"] = self._ingest_vehicle(vin).id
        self.write(vals)

    def _ingest_readings(self, batch_id, readings, window, offset, rejected, parked):
        """Validate readings, store one chunk per PID; ``(accepted, last ts)``."""
        self.ensure_one()
        series = {}
        for index, item in enumerate(readings):
            kept = None
            try:
                if not isinstance(item, dict):
                    raise rules.RuleError("malformed: a reading must be an object")
                pid = item.get("pid")
                spec = KNOWN_PIDS.get(pid) if isinstance(pid, str) else None
                if spec is None:
                    raise rules.RuleError(
                        f"unknown_pid: {rules.echo(pid)} is not a known PID"
                    )
                value = rules.as_float(item.get("value"))
                if not spec.vmin <= value <= spec.vmax:
                    raise rules.RuleError(
                        f"out_of_range: {rules.echo(item.get('value'))} for {pid} "
                        f"(expected {spec.vmin:g} to {spec.vmax:g} {spec.unit})"
                    )
                kept = {"pid": pid, "value": value, "ts": item.get("ts")}
                moment = rules.check_ts(item.get("ts"), window, offset)
            except rules.RuleError as exc:
                self._ingest_reject("reading", index, str(exc), rejected, parked, kept)
                continue
            series.setdefault(pid, []).append((rules.to_epoch_ms(moment), value))
        if not series:
            return 0, None
        vals_list = []
        last = 0
        for pid, points in series.items():
            points.sort()
            values = [value for _ts, value in points]
            vals_list.append(
                {
                    "session_id": self.id,
                    "batch_id": batch_id,
                    "pid": pid,
                    "unit": KNOWN_PIDS[pid].unit,
                    "count": len(points),
                    "ts_first": rules.from_epoch_ms(points[0][0]),
                    "ts_last": rules.from_epoch_ms(points[-1][0]),
                    "value_min": min(values),
                    "value_max": max(values),
                    "value_sum": math.fsum(values),
                    "ts_list": [ts for ts, _value in points],
                    "value_list": values,
                }
            )
            last = max(last, points[-1][0])
        self.env["atelier.obd.reading.chunk"].create(vals_list)
        return sum(v["count"] for v in vals_list), rules.from_epoch_ms(last)

    def _ingest_dtcs(self, dtcs, window, offset, rejected, parked):
        self.ensure_one()
        valid = {}
        accepted = 0
        for index, item in enumerate(dtcs):
            kept = None
            try:
                if not isinstance(item, dict):
                    raise rules.RuleError("malformed: a trouble code must be an object")
                raw = item.get("code")
                code = raw.strip().upper() if isinstance(raw, str) else raw
                status = item.get("status", "stored")
                if not isinstance(code, str) or not DTC_CODE_RE.match(code):
                    raise rules.RuleError(f"bad_code: {rules.echo(raw)}")
                if status not in DTC_STATUSES:
                    raise rules.RuleError(f"bad_status: {rules.echo(status)}")
                freeze = item.get("freeze_frame")
                if freeze is not None:
                    freeze = rules.freeze_frame(freeze)
                kept = {
                    "code": code,
                    "status": status,
                    "freeze_frame": freeze,
                    "ts": item.get("ts"),
                }
                moment = rules.check_ts(item.get("ts"), window, offset)
            except rules.RuleError as exc:
                self._ingest_reject("dtc", index, str(exc), rejected, parked, kept)
                continue
            accepted += 1
            entry = valid.setdefault(
                code, {"first": moment, "last": moment, "status": status}
            )
            entry["first"] = min(entry["first"], moment)
            if moment >= entry["last"]:
                entry["last"] = moment
                entry["status"] = status
            if freeze:
                entry["freeze"] = freeze
        if not valid:
            return 0
        Line = self.env["atelier.obd.session.dtc"]
        existing = {
            line.code: line
            for line in Line.search(
                [("session_id", "=", self.id), ("code", "in", list(valid))]
            )
        }
        references = self.env["atelier.dtc"]._atelier_by_codes(valid)
        to_create = []
        for code, entry in valid.items():
            line = existing.get(code)
            if line:
                vals = {"first_seen": min(line.first_seen, entry["first"])}
                if entry["last"] >= line.last_seen:
                    vals.update(last_seen=entry["last"], status=entry["status"])
                if entry.get("freeze"):
                    vals["freeze_frame"] = entry["freeze"]
                line.write(vals)
            else:
                to_create.append(
                    {
                        "session_id": self.id,
                        "code": code,
                        "dtc_id": references[code].id if code in references else False,
                        "status": entry["status"],
                        "first_seen": entry["first"],
                        "last_seen": entry["last"],
                        "freeze_frame": entry.get("freeze") or False,
                    }
                )
        Line.create(to_create)
        return accepted

    def _ingest_events(self, events, window, offset, rejected, parked):
        """Store the events; ``(accepted, ts of session_end or None)``."""
        self.ensure_one()
        vals_list = []
        end_ts = None
        for index, item in enumerate(events):
            kept = None
            try:
                if not isinstance(item, dict):
                    raise rules.RuleError("malformed: an event must be an object")
                if item.get("type") not in EVENT_TYPES:
                    raise rules.RuleError(f"bad_type: {rules.echo(item.get('type'))}")
                detail = item.get("detail")
                if detail is not None and not isinstance(detail, str):
                    raise rules.RuleError("malformed: an event detail must be a text")
                detail = (detail or "")[:256]
                kept = {"type": item["type"], "detail": detail, "ts": item.get("ts")}
                moment = rules.check_ts(item.get("ts"), window, offset)
            except rules.RuleError as exc:
                self._ingest_reject("event", index, str(exc), rejected, parked, kept)
                continue
            vals_list.append(
                {
                    "session_id": self.id,
                    "event_type": item["type"],
                    "ts": moment,
                    "detail": detail or False,
                }
            )
            if item["type"] == "session_end":
                end_ts = max(end_ts or moment, moment)
        self.env["atelier.obd.event"].create(vals_list)
        return len(vals_list), end_ts

    def _ingest_recover_parked(self, shift):
        """Store again the items kept aside for their time, their timestamps
        shifted by ``shift`` (a timedelta, on top of the correction their batch
        got). Returns the number of items stored; the others stay aside."""
        self.ensure_one()
        recovered = 0
        now = fields.Datetime.now()
        batches = self.env["atelier.obd.batch"].search(
            [("session_id", "=", self.id), ("parked_count", ">", 0)], order="id"
        )
        for batch in batches:
            lists = {key: [] for _kind, key in ITEM_LISTS}
            origin = []
            for item in batch.parked_items or []:
                key = dict(ITEM_LISTS)[item["kind"]]
                origin.append(item)
                lists[key].append({k: v for k, v in item.items() if k != "reason"})
            offset = timedelta(seconds=batch.clock_offset or 0.0) + shift
            accepted, _rejected, parked = self._ingest_items(
                batch.id, lists, offset, now
            )
            # keep the original indexes of what is still aside
            for item in parked:
                item["index"] = lists[dict(ITEM_LISTS)[item["kind"]]][item["index"]][
                    "index"
                ]
            batch.sudo().write(
                {
                    "accepted_count": batch.accepted_count + accepted,
                    "rejected_count": batch.rejected_count - accepted,
                    "parked_count": len(parked),
                    "parked_items": parked or False,
                }
            )
            recovered += accepted
        return recovered

    # ------------------------------------------------------------------
    # Readings: statistics and chart
    # ------------------------------------------------------------------
    def _pid_stats(self, pids=None):
        """``[{pid, label, unit, count, min, avg, max}]`` from the chunk totals."""
        self.ensure_one()
        self.env["atelier.obd.reading.chunk"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT pid, MIN(unit), SUM(count), MIN(value_min), MAX(value_max),
                       SUM(value_sum)
                  FROM atelier_obd_reading_chunk
                 WHERE session_id = %s
              GROUP BY pid
                """,
                self.id,
            )
        )
        stats = []
        for pid, unit, count, vmin, vmax, vsum in self.env.cr.fetchall():
            if pids and pid not in pids:
                continue
            spec = KNOWN_PIDS.get(pid)
            stats.append(
                {
                    "pid": pid,
                    "label": spec.label._translate(self.env.lang or "en_US")
                    if spec
                    else pid,
                    "unit": unit or "",
                    "count": count,
                    "min": vmin,
                    "avg": vsum / count if count else 0.0,
                    "max": vmax,
                    "main": pid in MAIN_PIDS,
                    "digits": charts_tools.digits(unit or ""),
                }
            )
        order = {pid: i for i, pid in enumerate(KNOWN_PIDS)}
        stats.sort(key=lambda s: order.get(s["pid"], len(order)))
        return stats

    def _chart_series(self, pids=None, max_points=1000):
        """``{pid: [(epoch ms, value), ...]}`` downsampled to ``max_points``.

        One indexed query reads the chunks; buckets keep their minimum and
        maximum so that spikes survive the downsampling.
        """
        self.ensure_one()
        self.env["atelier.obd.reading.chunk"].flush_model()
        pids = list(pids or MAIN_PIDS)
        self.env.cr.execute(
            SQL(
                """
                SELECT pid, ts_list, value_list
                  FROM atelier_obd_reading_chunk
                 WHERE session_id = %s AND pid = ANY(%s)
              ORDER BY pid, ts_first
                """,
                self.id,
                pids,
            )
        )
        raw = {}
        for pid, ts_list, value_list in self.env.cr.fetchall():
            times, values = raw.setdefault(pid, ([], []))
            times.extend(ts_list)
            values.extend(value_list)
        series = {}
        for pid, (times, values) in raw.items():
            points = list(zip(times, values, strict=True))
            if any(times[i] > times[i + 1] for i in range(len(times) - 1)):
                points.sort()
            series[pid] = _downsample(points, max_points)
        return series

    @api.readonly
    def atelier_chart_data(self, max_points=1000):
        """One chart per main measure, each with its own unit and scale (small
        multiples on one time axis), and the statistics, for the session form."""
        self.ensure_one()
        self.check_access("read")
        max_points = max(10, min(int(max_points), 5000))
        stats = self._pid_stats()
        series = self._chart_series(max_points=max_points)
        charts = []
        for stat in stats:
            points = series.get(stat["pid"])
            if not points:
                continue
            low, high = self._chart_axis(stat["pid"], stat["unit"], points)
            charts.append(
                {
                    "pid": stat["pid"],
                    "label": stat["label"],
                    "unit": stat["unit"],
                    "digits": charts_tools.digits(stat["unit"]),
                    "points": points,
                    "y_min": low,
                    "y_max": high,
                }
            )
        x_min, x_max = self._chart_time_range(series)
        return {"series": charts, "stats": stats, "x_min": x_min, "x_max": x_max}

    @api.model
    def _chart_axis(self, pid, unit, points):
        spec = KNOWN_PIDS.get(pid)
        limits = (spec.vmin, spec.vmax) if spec else None
        return charts_tools.axis_range([v for _t, v in points], unit, limits)

    def _chart_time_range(self, series):
        """``(first, last)`` epoch ms shared by every chart of the session."""
        times = [t for points in series.values() for t, _v in points]
        if not times:
            return None, None
        first, last = min(times), max(times)
        if last - first < 60_000:  # at least a minute: ticks stay readable
            last = first + 60_000
        return first, last

    # ------------------------------------------------------------------
    # Diagnostic report
    # ------------------------------------------------------------------
    def _atelier_report_tz(self):
        """The time zone of the report: the workshop's (the company's), else
        the client's, else the reader's."""
        self.ensure_one()
        return (
            self.env.company.partner_id.tz
            or self.partner_id.tz
            or self.env.user.tz
            or "UTC"
        )

    def _atelier_format(self, value, unit, strip=False):
        """A measure in the reader's language, with the unit's decimals:
        800 rpm, 14,05 V (never 800.0)."""
        if value is None or value is False:
            return ""
        places = charts_tools.digits(unit)
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        return charts_tools.format_number(
            value,
            places,
            lang.decimal_point or ".",
            lang.thousands_sep or "",
            strip=strip,
        )

    def _atelier_report_values(self):
        """What the report prints, formatted for the reader."""
        self.ensure_one()
        tz = self._atelier_report_tz()
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        stats = self._pid_stats()
        units = {stat["pid"]: stat["unit"] for stat in stats}
        series = self._chart_series(max_points=400)
        x_range = self._chart_time_range(series)
        charts = []
        for stat in stats:
            points = series.get(stat["pid"]) or []
            if not stat["main"] or len(points) < 2:
                continue
            svg = charts_tools.render_chart(
                points,
                stat["unit"],
                y_range=self._chart_axis(stat["pid"], stat["unit"], points),
                x_range=x_range,
                tz=tz,
                decimal_point=lang.decimal_point or ".",
                thousands=lang.thousands_sep or "",
            )
            charts.append(
                {
                    "pid": stat["pid"],
                    "label": stat["label"],
                    "unit": stat["unit"],
                    "src": "data:image/svg+xml;base64,"
                    + base64.b64encode(svg.encode()).decode(),
                }
            )
        rows = [
            {
                **stat,
                "min_text": self._atelier_format(stat["min"], stat["unit"]),
                "avg_text": self._atelier_format(stat["avg"], stat["unit"]),
                "max_text": self._atelier_format(stat["max"], stat["unit"]),
            }
            for stat in stats
        ]

        def when(moment, dt_format="short"):
            return format_datetime(self.env, moment, tz=tz, dt_format=dt_format)

        return {
            "tz": tz,
            "title_when": when(self.started_at),
            "start": when(self.started_at, "medium"),
            "end": when(self.ended_at, "medium") if self.ended_at else "",
            "odometer": self._atelier_format(self.odometer, "km")
            if self.odometer
            else "",
            "stats": rows,
            "charts": charts,
            "units": units,
            "company": self.env.company,
        }


def _downsample(points, max_points):
    """Min/max bucket downsampling, keeping order; ``points`` sorted by time."""
    if len(points) <= max_points:
        return [list(point) for point in points]
    buckets = max(1, max_points // 2)
    size = math.ceil(len(points) / buckets)
    result = []
    for start in range(0, len(points), size):
        bucket = points[start : start + size]
        low = min(bucket, key=lambda p: p[1])
        high = max(bucket, key=lambda p: p[1])
        pair = sorted({low, high})
        result.extend(list(point) for point in pair)
    return result
