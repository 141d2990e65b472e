# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import math
import uuid
from datetime import datetime, timedelta, timezone

from psycopg2.extras import Json

from odoo import api, fields, models
from odoo.exceptions import AccessError, ConcurrencyError, ValidationError
from odoo.tools import SQL

from odoo.addons.atelier_dtc.tools.dtc_codes import DTC_CODE_RE

from ..tools.pids import KNOWN_PIDS, MAIN_PIDS
from ..tools.vin import VinError, validate_vin

_logger = logging.getLogger(__name__)

BRIDGE_GROUP = "atelier_fleet_obd.group_obd_bridge"
FUTURE_SKEW = timedelta(minutes=5)  # bridge clocks drift; beyond this: rejected
START_SKEW = timedelta(seconds=2)  # tolerance before the session start
MAX_ITEMS = 200_000  # per list and batch: protects the server from a runaway bridge
DTC_STATUSES = ("stored", "pending", "permanent")
EVENT_TYPES = ("connected", "disconnected", "session_end")
EPOCH = datetime(1970, 1, 1)


def _to_epoch_ms(moment):
    return int(round((moment - EPOCH).total_seconds() * 1000))


def _from_epoch_ms(value):
    return EPOCH + timedelta(milliseconds=value)


def _parse_ts(value):
    """Naive UTC datetime from an ISO 8601 string; ValueError otherwise."""
    if not isinstance(value, str):
        raise ValueError("timestamp is not a string")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_ts(value, window):
    """``(moment, None)`` when ``value`` parses inside ``window`` (low, high),
    else ``(None, reason)``: the timestamp rule of readings, codes and events."""
    try:
        moment = _parse_ts(value)
    except ValueError:
        return None, f"bad_timestamp: {value!r}"
    low, high = window
    if moment > high:
        return None, f"future: {value} is in the future"
    if moment < low:
        return None, f"before_start: {value} is before the session start"
    return moment, None


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
    odometer = fields.Float(help="Odometer (km) reported for this session.")
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
    note = fields.Text("Technician notes")
    reading_count = fields.Integer("Readings", readonly=True)
    dtc_ids = fields.One2many(
        "atelier.obd.session.dtc", "session_id", string="Trouble codes"
    )
    dtc_count = fields.Integer("Codes", compute="_compute_dtc_count")
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

    @api.depends("vehicle_id", "vin", "started_at")
    def _compute_display_name(self):
        for session in self:
            subject = (
                session.vehicle_id.display_name
                or session.vin
                or self.env._("Unknown vehicle")
            )
            when = (
                fields.Datetime.to_string(session.started_at)
                if session.started_at
                else ""
            )
            session.display_name = f"{subject} {when}".strip()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_print_report(self):
        return self.env.ref(
            "atelier_fleet_obd.action_report_obd_session"
        ).report_action(self)

    # ------------------------------------------------------------------
    # Public RPC: the bridge's only entry point
    # ------------------------------------------------------------------
    @api.model
    def ingest(self, payload):
        """Store one batch of the diagnostic bridge; idempotent by ``batch_uuid``.

        Only users of the "OBD bridge" group may call it; the writes are done
        with sudo because that group has no access right of its own. Bad items
        are rejected one by one (listed in the answer), a malformed payload
        raises a ValidationError. See readme/DESCRIPTION.md for the contract.
        """
        if not (self.env.su or self.env.user.has_group(BRIDGE_GROUP)):
            raise AccessError(
                self.env._("Only the OBD bridge user can send diagnostic data.")
            )
        header = self._ingest_check_payload(payload)
        sudo_self = self.sudo()
        batch_id = sudo_self._ingest_claim_batch(header)
        if not batch_id:
            return sudo_self._ingest_duplicate_answer(header["batch_uuid"])
        answer = sudo_self._ingest_store(batch_id, header, payload)
        return answer

    # ------------------------------------------------------------------
    # Ingest helpers
    # ------------------------------------------------------------------
    @api.model
    def _ingest_check_payload(self, payload):
        """The normalized header of the payload, or ValidationError."""

        def fail(reason, **params):
            raise ValidationError(
                self.env._("Malformed OBD payload: %(reason)s", reason=reason % params)
            )

        if not isinstance(payload, dict):
            fail(
                "the payload must be an object, not %(type)s",
                type=type(payload).__name__,
            )
        header = {}
        for key in ("batch_uuid", "session_uuid"):
            value = payload.get(key)
            try:
                header[key] = str(uuid.UUID(value)) if isinstance(value, str) else None
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
            if not isinstance(vin, str):
                fail("vin must be a string or null")
            try:
                # a car answers with its own VIN: structure only, no check digit
                header["vin"] = validate_vin(vin, check_structure_only=True)
            except VinError as exc:
                fail("vin: %(error)s", error=str(exc))
        try:
            header["started_at"] = _parse_ts(payload.get("started_at"))
        except ValueError:
            fail("started_at is missing or is not an ISO 8601 timestamp")
        for key in ("readings", "dtcs", "events"):
            items = payload.get(key, [])
            if items is None:
                items = []
            if not isinstance(items, list):
                fail("%(key)s must be a list", key=key)
            if len(items) > MAX_ITEMS:
                fail("%(key)s has more than %(max)s items", key=key, max=MAX_ITEMS)
        odometer = payload.get("odometer")
        if odometer is not None and (
            not _is_number(odometer) or not math.isfinite(odometer) or odometer < 0
        ):
            fail("odometer must be a positive number of kilometres")
        header["odometer"] = odometer
        readiness = payload.get("readiness")
        if readiness is not None and not (
            isinstance(readiness, dict)
            and all(isinstance(v, (str, bool)) for v in readiness.values())
        ):
            fail("readiness must be an object of monitor name -> status")
        header["readiness"] = readiness
        return header

    def _ingest_claim_batch(self, header):
        """Insert the batch row first; the unique key decides who stores it.

        ``ON CONFLICT DO NOTHING`` returns no row when the UUID is known: the
        database, not a prior search, guarantees that a batch is stored once.
        A concurrent transaction storing the same batch makes PostgreSQL wait,
        then raise a serialization failure that Odoo's RPC layer retries.
        """
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO atelier_obd_batch
                    (batch_uuid, bridge_id, create_uid, create_date,
                     write_uid, write_date)
                VALUES (%s, %s, %s, now() at time zone 'UTC',
                        %s, now() at time zone 'UTC')
                ON CONFLICT (batch_uuid) DO NOTHING
                RETURNING id
                """,
                header["batch_uuid"],
                header["bridge_id"],
                self.env.uid,
                self.env.uid,
            )
        )
        row = self.env.cr.fetchone()
        return row[0] if row else None

    def _ingest_duplicate_answer(self, batch_uuid):
        self.env.cr.execute(
            SQL(
                "SELECT answer FROM atelier_obd_batch WHERE batch_uuid = %s", batch_uuid
            )
        )
        row = self.env.cr.fetchone()
        if not row or not row[0]:
            # claimed by a transaction we cannot see yet: let the RPC layer retry
            raise ConcurrencyError(f"OBD batch {batch_uuid} is being stored")
        answer = dict(row[0])
        answer["status"] = "duplicate"
        _logger.info("OBD batch %s received again: duplicate", batch_uuid)
        return answer

    def _ingest_store(self, batch_id, header, payload):
        now = fields.Datetime.now()
        session = self._ingest_session(header)
        rejected = []
        if header["vin"] and session.vin and header["vin"] != session.vin:
            reason = (
                f"vin_mismatch: the batch VIN {header['vin']} differs from the "
                f"session VIN {session.vin}"
            )
            for kind, key in (
                ("reading", "readings"),
                ("dtc", "dtcs"),
                ("event", "events"),
            ):
                rejected += [
                    {"index": index, "kind": kind, "reason": reason}
                    for index in range(len(payload.get(key) or []))
                ]
            accepted = 0
        else:
            if header["vin"] and not session.vin:
                session._ingest_set_vin(header["vin"])
            window = (session.started_at - START_SKEW, now + FUTURE_SKEW)
            n_readings, last_ts = session._ingest_readings(
                batch_id, payload.get("readings") or [], window, rejected
            )
            n_dtcs = session._ingest_dtcs(payload.get("dtcs") or [], window, rejected)
            n_events, end_ts = session._ingest_events(
                payload.get("events") or [], window, rejected
            )
            accepted = n_readings + n_dtcs + n_events
            vals = {}
            if n_readings:
                vals["reading_count"] = session.reading_count + n_readings
            ends = [ts for ts in (session.ended_at, last_ts) if ts]
            if end_ts:
                vals.update(state="done", ended_at=max([end_ts, *ends]))
            elif last_ts and (not session.ended_at or last_ts > session.ended_at):
                vals["ended_at"] = last_ts
            if header["odometer"] is not None:
                vals["odometer"] = header["odometer"]
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
        }
        self.env.cr.execute(
            SQL(
                """
                UPDATE atelier_obd_batch
                   SET session_id = %s, accepted_count = %s, rejected_count = %s,
                       answer = %s
                 WHERE id = %s
                """,
                session.id,
                accepted,
                len(rejected),
                Json(answer),
                batch_id,
            )
        )
        self.env["atelier.obd.batch"].invalidate_model()
        session.invalidate_recordset(["batch_ids"])
        if rejected:
            _logger.info(
                "OBD batch %s: %s item(s) accepted, %s rejected",
                header["batch_uuid"],
                accepted,
                len(rejected),
            )
        return answer

    @api.model
    def _ingest_session(self, header):
        session = self.search([("session_uuid", "=", header["session_uuid"])], limit=1)
        if session:
            return session
        return self.create(
            {
                "session_uuid": header["session_uuid"],
                "bridge_id": header["bridge_id"],
                "adapter": header["adapter"],
                "protocol": header["protocol"],
                "started_at": header["started_at"],
                "vin": header["vin"],
                "vehicle_id": self._ingest_vehicle(header["vin"]).id,
            }
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

    def _ingest_set_vin(self, vin):
        self.ensure_one()
        vals = {"vin": vin}
        if not self.vehicle_id:
            vals["vehicle_id"] = self._ingest_vehicle(vin).id
        self.write(vals)

    def _ingest_readings(self, batch_id, readings, window, rejected):
        """Validate readings, store one chunk per PID; ``(accepted, last ts)``."""
        self.ensure_one()
        series = {}
        for index, item in enumerate(readings):
            reason = None
            if not isinstance(item, dict):
                reason = "malformed: a reading must be an object"
            else:
                pid = item.get("pid")
                value = item.get("value")
                spec = KNOWN_PIDS.get(pid) if isinstance(pid, str) else None
                if spec is None:
                    reason = f"unknown_pid: {pid!r} is not a known PID"
                elif not _is_number(value):
                    reason = f"not_a_number: {value!r}"
                elif not math.isfinite(value):
                    reason = f"not_finite: {value!r}"
                elif not spec.vmin <= value <= spec.vmax:
                    reason = (
                        f"out_of_range: {value!r} for {pid} "
                        f"(expected {spec.vmin:g} to {spec.vmax:g} {spec.unit})"
                    )
                else:
                    moment, reason = _check_ts(item.get("ts"), window)
                    if moment:
                        series.setdefault(pid, []).append(
                            (_to_epoch_ms(moment), float(value))
                        )
            if reason:
                rejected.append({"index": index, "kind": "reading", "reason": reason})
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
                    "ts_first": _from_epoch_ms(points[0][0]),
                    "ts_last": _from_epoch_ms(points[-1][0]),
                    "value_min": min(values),
                    "value_max": max(values),
                    "value_sum": math.fsum(values),
                    "ts_list": [ts for ts, _value in points],
                    "value_list": values,
                }
            )
            last = max(last, points[-1][0])
        self.env["atelier.obd.reading.chunk"].create(vals_list)
        return sum(v["count"] for v in vals_list), _from_epoch_ms(last)

    def _ingest_dtcs(self, dtcs, window, rejected):
        self.ensure_one()
        DtcModel = self.env["atelier.dtc"]
        valid = {}
        accepted = 0
        for index, item in enumerate(dtcs):
            reason = None
            if not isinstance(item, dict):
                reason = "malformed: a trouble code must be an object"
            else:
                code = item.get("code")
                code = code.strip().upper() if isinstance(code, str) else code
                status = item.get("status", "stored")
                freeze = item.get("freeze_frame")
                if not isinstance(code, str) or not DTC_CODE_RE.match(code):
                    reason = f"bad_code: {item.get('code')!r}"
                elif status not in DTC_STATUSES:
                    reason = f"bad_status: {status!r}"
                elif freeze is not None and not isinstance(freeze, dict):
                    reason = "bad_freeze_frame: must be an object"
                else:
                    moment, reason = _check_ts(item.get("ts"), window)
                    if moment:
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
            if reason:
                rejected.append({"index": index, "kind": "dtc", "reason": reason})
        if not valid:
            return 0
        Line = self.env["atelier.obd.session.dtc"]
        existing = {
            line.code: line
            for line in Line.search(
                [("session_id", "=", self.id), ("code", "in", list(valid))]
            )
        }
        references = DtcModel._atelier_by_codes(valid)
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

    def _ingest_events(self, events, window, rejected):
        """Store the events; ``(accepted, ts of session_end or None)``."""
        self.ensure_one()
        vals_list = []
        end_ts = None
        for index, item in enumerate(events):
            reason = None
            if not isinstance(item, dict):
                reason = "malformed: an event must be an object"
            elif item.get("type") not in EVENT_TYPES:
                reason = f"bad_type: {item.get('type')!r}"
            else:
                moment, reason = _check_ts(item.get("ts"), window)
                if moment:
                    detail = item.get("detail")
                    vals_list.append(
                        {
                            "session_id": self.id,
                            "event_type": item["type"],
                            "ts": moment,
                            "detail": str(detail)[:256] if detail else False,
                        }
                    )
                    if item["type"] == "session_end":
                        end_ts = max(end_ts or moment, moment)
            if reason:
                rejected.append({"index": index, "kind": "event", "reason": reason})
        self.env["atelier.obd.event"].create(vals_list)
        return len(vals_list), end_ts

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
        """Chart and statistics of the main PIDs, for the session form."""
        self.ensure_one()
        self.check_access("read")
        max_points = max(10, min(int(max_points), 5000))
        stats = self._pid_stats()
        series = self._chart_series(max_points=max_points)
        return {
            "series": [
                {
                    "pid": stat["pid"],
                    "label": stat["label"],
                    "unit": stat["unit"],
                    "points": series[stat["pid"]],
                }
                for stat in stats
                if stat["pid"] in series
            ],
            "stats": stats,
        }

    def _report_svg_charts(self, width=680, height=90, max_points=300):
        """Inline SVG polylines of the main PIDs for the PDF report."""
        self.ensure_one()
        charts = []
        stats = {s["pid"]: s for s in self._pid_stats()}
        for pid, points in self._chart_series(max_points=max_points).items():
            if len(points) < 2:
                continue
            t0, t1 = points[0][0], points[-1][0]
            vmin = min(v for _t, v in points)
            vmax = max(v for _t, v in points)
            span_t = (t1 - t0) or 1
            span_v = (vmax - vmin) or 1.0
            coords = " ".join(
                f"{(t - t0) * width / span_t:.1f},"
                f"{height - (v - vmin) * height / span_v:.1f}"
                for t, v in points
            )
            stat = stats.get(pid, {})
            charts.append(
                {
                    "pid": pid,
                    "label": stat.get("label", pid),
                    "unit": stat.get("unit", ""),
                    "min": vmin,
                    "max": vmax,
                    "width": width,
                    "height": height,
                    "points": coords,
                }
            )
        order = {pid: i for i, pid in enumerate(KNOWN_PIDS)}
        charts.sort(key=lambda c: order.get(c["pid"], len(order)))
        return charts


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
