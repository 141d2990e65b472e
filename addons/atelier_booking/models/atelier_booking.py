# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import logging
import secrets
import threading
import uuid
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import quote_plus, urlparse

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, consteq, format_datetime

from ..tools import availability as engine
from ..tools import ics
from .res_partner import clean_address_lines

# opens the maps app on a phone, a map in a browser
MAP_SEARCH_URL = "https://www.openstreetmap.org/search?query="

_logger = logging.getLogger(__name__)

ACTIVE_STATES = ("held", "confirmed")
# a booking the client may count as theirs: taken and not cancelled
BOOKED_STATES = ("confirmed", "done", "no_show")
DESK = ("atelier_base.group_assistant",)
STAFF = ("atelier_base.group_assistant", "atelier_base.group_technician")
# first key of pg_advisory_xact_lock(int, int) for "a booking of technician N"
# (technicians without a resource row to lock)
_ADVISORY_NAMESPACE = 730_001
# what PostgreSQL raises when another transaction got the slot first
_CONFLICT_ERRORS = (
    psycopg2.errors.ExclusionViolation,
    psycopg2.errors.DeadlockDetected,
)


class _ExpectedConflicts(logging.Filter):
    """Keeps the "bad query" ERROR that ``odoo.sql_db`` logs for every
    failed statement out of the log when the failure is a lost booking race
    that :meth:`AtelierBooking._slot_guard` expects and turns into a clean
    refusal. Per thread: another thread's real errors still show."""

    def __init__(self):
        super().__init__()
        self._local = threading.local()

    @contextmanager
    def expecting(self):
        self._local.depth = getattr(self._local, "depth", 0) + 1
        try:
            yield
        finally:
            self._local.depth -= 1

    def filter(self, record):
        if not getattr(self._local, "depth", 0):
            return True
        args = record.args if isinstance(record.args, tuple) else ()
        return not (args and isinstance(args[-1], _CONFLICT_ERRORS))


_EXPECTED_CONFLICTS = _ExpectedConflicts()
logging.getLogger("odoo.sql_db").addFilter(_EXPECTED_CONFLICTS)


class SlotTakenError(UserError):
    """The slot was free when computed but another booking got it first."""

    def __init__(self, message, next_slots=()):
        super().__init__(message)
        self.next_slots = list(next_slots)


def _new_token():
    return secrets.token_urlsafe(32)


class AtelierBooking(models.Model):
    _name = "atelier.booking"
    _description = "Booking"
    _inherit = "mail.thread"
    _order = "start desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    appointment_type_id = fields.Many2one(
        "atelier.appointment.type",
        string="Appointment type",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Client",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    technician_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    start = fields.Datetime(required=True, tracking=True)
    stop = fields.Datetime(required=True)
    blocked_start = fields.Datetime(
        required=True, help="Start of the time kept free, buffer included."
    )
    blocked_stop = fields.Datetime(
        required=True, help="End of the time kept free, buffer included."
    )
    state = fields.Selection(
        [
            ("held", "Held"),
            ("confirmed", "Confirmed"),
            ("cancelled", "Cancelled"),
            ("done", "Done"),
            ("no_show", "No show"),
        ],
        required=True,
        default="held",
        index=True,
        tracking=True,
    )
    hold_expiry = fields.Datetime(
        help="A hold not confirmed by then frees its slot.", copy=False
    )
    awaiting_approval = fields.Boolean(
        help="The client confirmed; the assistant still has to accept.",
        copy=False,
    )
    answer_address = fields.Text(string="Address")
    answer_vehicle = fields.Char(string="Vehicle")
    answer_description = fields.Text(string="Description")
    event_id = fields.Many2one(
        "calendar.event", string="Calendar event", copy=False, ondelete="set null"
    )
    hold_token = fields.Char(copy=False, groups="base.group_system")
    access_token = fields.Char(copy=False, groups="base.group_system")
    access_token_expiry = fields.Datetime(copy=False, groups="base.group_system")
    client_ip = fields.Char(
        copy=False,
        groups="base.group_system",
        help="Address of a guest (not logged-in) booking, for the hourly limit.",
    )
    partner_confirmed = fields.Boolean(
        string="Client confirmed",
        default=True,
        copy=False,
        tracking=True,
        help="False for a booking made online, without logging in, with the "
        "e-mail of an existing client: it stays out of that client's portal and "
        "mailbox until they confirm it from the e-mail sent to them.",
    )
    guest_name = fields.Char(copy=False, readonly=True)
    guest_email = fields.Char(copy=False, readonly=True)
    guest_phone = fields.Char(copy=False, readonly=True)
    verify_token = fields.Char(copy=False, groups="base.group_system")
    previous_start = fields.Datetime(string="Moved from", copy=False, readonly=True)
    ics_uid = fields.Char(
        string="Calendar UID",
        copy=False,
        readonly=True,
        help="The client's agenda knows the appointment by this identifier.",
    )
    ics_sequence = fields.Integer(
        string="Calendar version",
        copy=False,
        readonly=True,
        help="Grows with every change sent to the client's agenda.",
    )
    client_tz = fields.Char(string="Client time zone", default="Europe/Paris")
    reminder_sent = fields.Boolean(copy=False)
    location = fields.Char(compute="_compute_location")
    map_url = fields.Char(
        string="Map",
        compute="_compute_location",
        help="The address on a map (the technician's phone opens it in its maps app)",
    )
    price = fields.Float(related="appointment_type_id.price")
    currency_id = fields.Many2one(related="appointment_type_id.currency_id")
    company_id = fields.Many2one(related="appointment_type_id.company_id", store=True)
    color = fields.Integer(related="technician_id.partner_id.color")

    _no_double_booking = models.Constraint(
        "EXCLUDE USING gist (technician_id WITH =, "
        "tsrange(blocked_start, blocked_stop) WITH &&) "
        "WHERE (state IN ('held', 'confirmed'))",
        "This technician is already booked at that time.",
    )
    _range_valid = models.Constraint(
        "CHECK (start < stop AND blocked_start <= start AND stop <= blocked_stop)",
        "A booking must end after it starts.",
    )
    _hold_token_uniq = models.UniqueIndex("(hold_token) WHERE hold_token IS NOT NULL")
    _access_token_uniq = models.UniqueIndex(
        "(access_token) WHERE access_token IS NOT NULL"
    )
    _verify_token_uniq = models.UniqueIndex(
        "(verify_token) WHERE verify_token IS NOT NULL"
    )
    _client_ip_idx = models.Index(
        "(client_ip, create_date) WHERE client_ip IS NOT NULL"
    )

    def _auto_init(self):
        # the exclusion constraint needs btree_gist for "technician_id WITH ="
        self.env.cr.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        return super()._auto_init()

    @api.depends("appointment_type_id.name", "partner_id.name")
    def _compute_name(self):
        for booking in self:
            booking.name = " - ".join(
                part
                for part in (booking.appointment_type_id.name, booking.partner_id.name)
                if part
            )

    @api.depends(
        "appointment_type_id.location_type",
        "answer_address",
        "partner_confirmed",
        "partner_id",
    )
    def _compute_location(self):
        for booking in self:
            location_type = booking.appointment_type_id.location_type
            if location_type != "client":
                booking.location = booking.appointment_type_id._location_display()
            else:
                lines = clean_address_lines(booking.answer_address)
                if not lines and booking.partner_confirmed:
                    # a guest's unconfirmed booking never shows the contact's
                    # address
                    lines = booking.partner_id._atelier_address_lines()
                booking.location = ", ".join(lines)
            # a place to go to (not a video link)
            booking.map_url = (
                MAP_SEARCH_URL + quote_plus(booking.location)
                if booking.location and location_type != "video"
                else False
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        types = self.env["atelier.appointment.type"]
        for vals in vals_list:
            appointment_type = types.browse(vals.get("appointment_type_id"))
            if vals.get("start") and appointment_type:
                rules = appointment_type.sudo()._slot_rules()
                start = fields.Datetime.to_datetime(vals["start"])
                vals.setdefault("stop", start + rules.duration)
                blocked = engine.blocked_range(start, rules)
                vals.setdefault("blocked_start", blocked[0])
                vals.setdefault(
                    "blocked_stop",
                    max(blocked[1], fields.Datetime.to_datetime(vals["stop"])),
                )
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Actions (back office)
    # ------------------------------------------------------------------
    def action_confirm(self):
        """The desk accepts a held booking (a type it approves)."""
        self._atelier_check_role(DESK)
        self.check_access("write")
        for booking in self:
            if booking.state != "held":
                raise UserError(self.env._("Only a held booking can be confirmed."))
        self._confirm(approved=True)
        return True

    def action_cancel(self):
        self._check_can_cancel()
        self._cancel()
        return True

    def action_done(self):
        self._atelier_check_role(STAFF)
        self.check_access("write")
        self._set_outcome("done")
        return True

    def action_no_show(self):
        self._atelier_check_role(STAFF)
        self.check_access("write")
        self._set_outcome("no_show")
        return True

    def _atelier_action_view(self, domain):
        """The bookings action on ``domain`` (these bookings, found by the
        record they belong to), straight to the form when there is one."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "atelier_booking.atelier_booking_action"
        )
        action["domain"] = domain
        action["context"] = {"create": False}
        if len(self) == 1:
            action.update(views=[(False, "form")], view_mode="form", res_id=self.id)
        return action

    def action_open_event(self):
        self.ensure_one()
        self._atelier_check_role(STAFF)
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "calendar.event",
            "res_id": self.event_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Rights of the callers of the actions above (RPC)
    # ------------------------------------------------------------------
    @api.model
    def _atelier_check_role(self, groups):
        """AccessError unless the user belongs to one of ``groups``."""
        if self.env.su or any(self.env.user.has_group(g) for g in groups):
            return
        raise AccessError(
            self.env._("You are not allowed to do this with appointments.")
        )

    def _check_can_cancel(self):
        """The desk cancels any booking, a technician his own, a client
        their own until the online cutoff; nobody else anything."""
        if self.env.su:
            return
        self.check_access("read")
        user = self.env.user
        if user.has_group("atelier_base.group_assistant"):
            return
        if user.has_group("atelier_base.group_technician"):
            if any(booking.technician_id != user for booking in self):
                raise AccessError(
                    self.env._("You can only cancel your own appointments.")
                )
            return
        if user._is_portal():
            for booking in self:
                if booking.partner_id != user.partner_id:
                    raise AccessError(
                        self.env._("You can only cancel your own appointments.")
                    )
                booking._check_manage_allowed()
            return
        self._atelier_check_role(STAFF)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _settings(self):
        params = self.env["ir.config_parameter"].sudo()

        def _int(key, default):
            try:
                return int(params.get_param(f"atelier_booking.{key}", default))
            except ValueError:
                return default

        return {
            "hold_minutes": _int("hold_minutes", 10),
            "cutoff_hours": _int("manage_cutoff_hours", 24),
            "guest_hourly_limit": _int("guest_hourly_limit", 5),
        }

    @api.model
    def _book(
        self,
        appointment_type,
        start,
        partner=None,
        technician=None,
        hold=True,
        client_ip=None,
        client_tz=None,
        answers=None,
    ):
        """Take a slot: create a held booking (or a confirmed one when
        ``hold`` is False) under the exclusion constraint.

        Raises ValidationError for a start that is not a slot of this type
        and SlotTakenError (with the next free slots) when another booking
        got it first.
        """
        appointment_type = appointment_type.sudo()
        start = appointment_type._parse_start(start)
        rules = appointment_type._slot_rules()
        now = fields.Datetime.now()
        earliest, latest = engine.window(now, rules)
        if start < earliest:
            raise ValidationError(
                self.env._(
                    "This slot is too soon: book at least %(hours)s hours ahead.",
                    hours=f"{appointment_type.min_notice_hours:g}",
                )
            )
        if start > latest:
            raise ValidationError(
                self.env._(
                    "This slot is too far ahead: book at most %(days)s days ahead.",
                    days=appointment_type.max_horizon_days,
                )
            )
        if technician and technician not in appointment_type.technician_ids:
            raise ValidationError(
                self.env._("This technician does not take this kind of appointment.")
            )
        candidates = self._free_technicians(
            appointment_type, start, technician=technician, now=now
        )
        chosen = (
            technician
            if technician
            else appointment_type._pick_technician(start, candidates)
        )
        blocked = engine.blocked_range(start, rules)
        self._expire_lapsed_holds(chosen, *blocked)
        vals = {
            "appointment_type_id": appointment_type.id,
            "partner_id": (partner or self.env.ref("base.public_partner")).id,
            "technician_id": chosen.id,
            "start": start,
            "client_ip": client_ip,
            "client_tz": client_tz or "Europe/Paris",
            **(answers or {}),
        }
        if hold:
            settings = self._settings()
            vals.update(
                hold_token=_new_token(),
                hold_expiry=now + timedelta(minutes=settings["hold_minutes"]),
            )
        self._lock_technician(chosen)
        with self._slot_guard(appointment_type, start, technician):
            booking = self.sudo().create(vals)
        if not hold:
            booking._confirm(approved=True, checked=True)
        return booking

    @api.model
    def _free_technicians(
        self, appointment_type, start, technician=None, now=None, exclude=None
    ):
        """Sorted ids of the technicians of ``appointment_type`` (or only
        ``technician``) free at ``start``. Raises ValidationError when
        ``start`` is no slot of the type, SlotTakenError when it is taken."""
        technicians = technician or appointment_type.technician_ids
        free = appointment_type._get_free_slots(
            date_from=start,
            date_to=start,
            technicians=technicians,
            now=now,
            exclude_bookings=exclude,
        )
        candidates = sorted(uid for uid, starts in free.items() if start in starts)
        if not candidates:
            if not appointment_type._slot_exists(start, technicians):
                raise ValidationError(
                    self.env._("There is no such slot for this appointment type.")
                )
            raise self._slot_taken(appointment_type, start, technician)
        return candidates

    @api.model
    def _lock_technician(self, technician):
        """Take the technician's row lock (their resource rows) until commit.

        Concurrent bookings of one technician queue behind each other (the
        exclusion constraint stays the guard; the lock turns the deadlocks
        of concurrent inserts into a clean wait then an ExclusionViolation).

        Changes to the technician's calendar events and leaves update the
        same rows (``_atelier_touch_agendas``). Odoo runs each request in a
        REPEATABLE READ snapshot, which would not show an event committed
        after it began: locking a row updated since then fails with a
        serialization error instead, and Odoo replays the request, which
        then sees the event. So a slot is never taken over busy time added
        while the client was filling the form."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM resource_resource WHERE user_id = %s "
                "ORDER BY id FOR NO KEY UPDATE",
                technician.id,
            ),
            log_exceptions=False,  # a serialization failure is replayed
        )
        if not self.env.cr.fetchall():
            self.env.cr.execute(
                SQL(
                    "SELECT pg_advisory_xact_lock(%(ns)s, %(tech)s)",
                    ns=_ADVISORY_NAMESPACE,
                    tech=technician.id,
                )
            )

    @api.model
    def _atelier_touch_agendas(self, partner_ids=(), resource_ids=(), calendar_ids=()):
        """Mark the agendas of the technicians concerned by a change of
        calendar events (their partners) or leaves (resources, or calendars
        for global leaves) as changed: see ``_lock_technician``. Events of
        the bookings themselves are guarded by the exclusion constraint."""
        if self.env.context.get("atelier_booking_own_event") or not (
            partner_ids or resource_ids or calendar_ids
        ):
            return
        self.env.cr.execute(
            SQL(
                """
                UPDATE resource_resource SET write_date = write_date
                 WHERE id IN (
                    SELECT id FROM resource_resource
                     WHERE user_id IN (
                            SELECT user_id
                              FROM atelier_appointment_type_technician_rel)
                       AND (user_id IN (SELECT id FROM res_users
                                         WHERE partner_id = ANY(%(partners)s))
                            OR id = ANY(%(resources)s)
                            OR calendar_id = ANY(%(calendars)s))
                     ORDER BY id
                       FOR NO KEY UPDATE)
                """,
                partners=list(partner_ids),
                resources=list(resource_ids),
                calendars=list(calendar_ids),
            )
        )

    @contextmanager
    def _slot_guard(self, appointment_type, start, technician=None):
        """Savepoint around a write that takes a slot: when the exclusion
        constraint refuses it (another booking got there first), roll the
        write back and raise SlotTakenError with the next free slots."""
        try:
            with _EXPECTED_CONFLICTS.expecting(), self.env.cr.savepoint():
                yield
        except _CONFLICT_ERRORS:
            _logger.info(
                "Booking: slot %s of %s taken concurrently", start, appointment_type
            )
            raise self._slot_taken(appointment_type, start, technician) from None

    @api.model
    def _slot_taken(self, appointment_type, start, technician=None):
        next_slots = appointment_type._next_free_slots(
            limit=5, date_from=start - timedelta(hours=2), technician=technician
        )
        return SlotTakenError(
            self.env._("This slot was just taken. Please pick another one."),
            next_slots=[slot for slot, _users in next_slots if slot != start],
        )

    @api.model
    def _expire_lapsed_holds(self, technician, start, stop):
        """Free the holds of ``technician`` over [start, stop) whose time ran
        out, so the constraint lets a new booking in."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                UPDATE atelier_booking SET state = 'cancelled', hold_token = NULL
                 WHERE technician_id = %(tech)s AND state = 'held'
                   AND hold_expiry < %(now)s
                   AND blocked_start < %(stop)s AND blocked_stop > %(start)s
                RETURNING id
                """,
                tech=technician.id,
                now=fields.Datetime.now(),
                start=start,
                stop=stop,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        if ids:
            self.browse(ids).invalidate_recordset(["state", "hold_token"])

    def _confirm(self, approved=False, checked=False):
        """Held -> confirmed: calendar event, manage token, e-mail with .ics.
        ``approved`` is False for a client's confirmation of a type that the
        assistant approves; then the booking waits, still blocking the slot.

        The technician's calendar may have changed since the slot was held:
        it is checked again under the technician's lock (unless ``checked``:
        the caller just did), and a slot that became busy is released and
        refused with the next free slots."""
        for booking in self.sudo():
            if booking.state != "held" or (booking.awaiting_approval and not approved):
                raise UserError(
                    self.env._("This hold ran out. Please pick a slot again.")
                )
            if not checked:
                self._lock_technician(booking.technician_id)
                booking._check_still_free()
            with self._slot_guard(
                booking.appointment_type_id, booking.start, booking.technician_id
            ):
                if (
                    not approved
                    and booking.appointment_type_id.confirmation == "manual"
                ):
                    booking.write(
                        {
                            "hold_expiry": False,
                            "hold_token": False,
                            "awaiting_approval": True,
                            "access_token": _new_token(),
                            "access_token_expiry": booking.stop,
                        }
                    )
                    continue
                event = booking._create_event()
                booking.write(
                    {
                        "state": "confirmed",
                        "event_id": event.id,
                        "hold_expiry": False,
                        "hold_token": False,
                        "awaiting_approval": False,
                        "access_token": booking.access_token or _new_token(),
                        "access_token_expiry": booking.stop,
                    }
                )
            booking._send_mail(
                "atelier_booking.mail_template_booking_confirmed", ics_method="REQUEST"
            )

    def _check_still_free(self):
        """SlotTakenError (the booking released) when the technician's
        working hours, leaves, events or bookings no longer leave its slot
        free. The notice is counted from when the slot was held."""
        self.ensure_one()
        appointment_type = self.appointment_type_id
        free = appointment_type._get_free_slots(
            date_from=self.start,
            date_to=self.start,
            technicians=self.technician_id,
            now=self.create_date,
            exclude_bookings=self,
        )
        if self.start in free.get(self.technician_id.id, ()):
            return
        _logger.info(
            "Booking: slot %s of %s became busy before its confirmation",
            self.start,
            appointment_type,
        )
        self.write(
            {
                "state": "cancelled",
                "hold_token": False,
                "hold_expiry": False,
                "awaiting_approval": False,
            }
        )
        raise self._slot_taken(
            appointment_type, self.start, self._reschedule_technician()
        )

    def _event_vals(self):
        self.ensure_one()
        return {
            "name": self.name,
            "start": self.start,
            "stop": self.stop,
            "user_id": self.technician_id.id,
            # the technician's agenda: colleagues see busy time only, and
            # the client is no attendee they could look up
            "partner_ids": [fields.Command.set(self.technician_id.partner_id.ids)],
            "privacy": "private",
            "show_as": "busy",
            "location": self.location or False,
            "videocall_location": self.appointment_type_id.video_url
            if self.appointment_type_id.location_type == "video"
            else False,
            "description": "\n".join(
                part
                for part in (
                    self.answer_vehicle,
                    self.answer_address,
                    self.answer_description,
                )
                if part
            ),
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
        }

    def _create_event(self):
        self.ensure_one()
        return self._event_env().create(self._event_vals())

    def _event_env(self):
        """calendar.event as the bookings write it: no invitation e-mail, and
        not counted as a change of the technician's agenda (the bookings
        guard themselves with their exclusion constraint)."""
        return (
            self.env["calendar.event"]
            .sudo()
            .with_context(
                no_mail_to_attendees=True,
                dont_notify=True,
                atelier_booking_own_event=True,
            )
        )

    def _cancel(self):
        for booking in self.sudo():
            if booking.state not in ACTIVE_STATES:
                raise UserError(self.env._("This booking is not active any more."))
            tell_client = booking.state == "confirmed" or booking.awaiting_approval
            vals = {
                "state": "cancelled",
                "hold_token": False,
                "awaiting_approval": False,
            }
            if booking.ics_uid:
                vals["ics_sequence"] = booking.ics_sequence + 1
            booking.write(vals)
            if booking.event_id:
                booking.event_id.with_env(booking._event_env().env).action_archive()
            if tell_client:
                booking._send_mail(
                    "atelier_booking.mail_template_booking_cancelled",
                    ics_method="CANCEL",
                )

    def _set_outcome(self, state):
        for booking in self:
            if booking.state != "confirmed":
                raise UserError(
                    self.env._(
                        "Only a confirmed booking can be marked done or no-show."
                    )
                )
            if booking.start > fields.Datetime.now():
                raise UserError(self.env._("This appointment has not started yet."))
        self.write({"state": state})

    def _reschedule_technician(self):
        """The technician a reschedule must keep: the one the client picked,
        None (anyone of the type) for an automatic assignment."""
        self.ensure_one()
        if self.appointment_type_id.assignment == "client":
            return self.technician_id
        return None

    def _reschedule(self, new_start):
        """Move a confirmed booking to another free slot of the same
        technician (or any technician of an automatic type)."""
        self.ensure_one()
        booking = self.sudo()
        booking._check_manage_allowed()
        appointment_type = booking.appointment_type_id
        new_start = appointment_type._parse_start(new_start)
        keep = booking._reschedule_technician()
        candidates = self._free_technicians(
            appointment_type, new_start, technician=keep, exclude=booking
        )
        technician = (
            booking.technician_id
            if booking.technician_id.id in candidates
            else appointment_type._pick_technician(new_start, candidates)
        )
        rules = appointment_type._slot_rules()
        blocked = engine.blocked_range(new_start, rules)
        self._expire_lapsed_holds(technician, *blocked)
        self._lock_technician(technician)
        previous_start = booking.start
        with self._slot_guard(appointment_type, new_start, keep):
            booking.write(
                {
                    "start": new_start,
                    "stop": new_start + rules.duration,
                    "blocked_start": blocked[0],
                    "blocked_stop": blocked[1],
                    "technician_id": technician.id,
                    "reminder_sent": False,
                    "access_token_expiry": new_start + rules.duration,
                    "previous_start": previous_start,
                    "ics_sequence": booking.ics_sequence
                    + (1 if booking.ics_uid else 0),
                }
            )
            if booking.event_id:
                booking.event_id.with_env(booking._event_env().env).write(
                    {
                        "start": booking.start,
                        "stop": booking.stop,
                        "user_id": technician.id,
                        "partner_ids": [fields.Command.set(technician.partner_id.ids)],
                    }
                )
        if booking.state == "confirmed":
            booking._send_mail(
                "atelier_booking.mail_template_booking_rescheduled",
                ics_method="REQUEST",
            )
        return True

    # ------------------------------------------------------------------
    # Tokens
    # ------------------------------------------------------------------
    @api.model
    def _find_by_token(self, token, purpose):
        """The booking a client link points to, or an empty recordset.

        ``purpose`` is "hold" (the details form of a held slot), "manage"
        (reschedule/cancel) or "verify" (the client confirms a guest booking
        made with their e-mail): each token opens only its own door and
        expires.
        """
        if not token or not isinstance(token, str) or len(token) > 100:
            return self.browse()
        field = {
            "hold": "hold_token",
            "manage": "access_token",
            "verify": "verify_token",
        }[purpose]
        booking = self.sudo().search([(field, "=", token)], limit=1)
        if not booking or not consteq(booking[field] or "", token):
            return self.browse()
        now = fields.Datetime.now()
        if purpose == "hold" and (booking.state != "held" or booking.awaiting_approval):
            # a lapsed hold stays usable until someone else takes the slot
            return self.browse()
        if purpose == "manage" and (
            not booking.access_token_expiry or booking.access_token_expiry < now
        ):
            return self.browse()
        if purpose == "verify" and booking.stop < now:
            return self.browse()
        return booking

    def _manage_url(self):
        self.ensure_one()
        return f"/book/manage/{self.sudo().access_token}"

    def _verify_url(self):
        self.ensure_one()
        return f"/book/verify/{self.sudo().verify_token}"

    def _book_again_url(self):
        """Where a client books again: this type when it is still offered."""
        self.ensure_one()
        appointment_type = self.sudo().appointment_type_id
        if appointment_type in appointment_type._bookable():
            return f"/book/{appointment_type.id}"
        return "/book"

    # ------------------------------------------------------------------
    # Hooks of the online form, extended where vehicles are known
    # ------------------------------------------------------------------
    @api.model
    def _atelier_vehicle_choices(self, partner):
        """``[(key, label)]``: the vehicles the logged-in ``partner`` picks
        from in the booking form (empty: the vehicle is typed)."""
        return []

    @api.model
    def _atelier_vehicle_choice_vals(self, key):
        """Values written on the booking for the vehicle ``key`` (one of
        ``_atelier_vehicle_choices``)."""
        return {}

    # ------------------------------------------------------------------
    # Guest bookings made with the e-mail of an existing client
    # ------------------------------------------------------------------
    def _send_verification(self):
        """Ask the contact whose e-mail a guest typed whether the booking is
        theirs (the only e-mail they get about it until they confirm)."""
        template = self.env.ref("atelier_booking.mail_template_booking_verify")
        for booking in self.sudo():
            if booking.partner_confirmed or not booking.partner_id.email:
                continue
            booking.verify_token = _new_token()
            template.sudo().send_mail(
                booking.id, email_values=booking._mail_author(), force_send=False
            )

    def _verify_partner(self):
        """The contact confirmed that the booking is theirs: it joins their
        portal and they get its confirmation with the calendar file."""
        self.ensure_one()
        booking = self.sudo()
        booking.write({"partner_confirmed": True, "verify_token": False})
        if booking.state == "confirmed":
            booking._send_mail(
                "atelier_booking.mail_template_booking_confirmed", ics_method="REQUEST"
            )

    def _check_manage_allowed(self):
        """Raise a clear UserError when the client may no longer change it."""
        self.ensure_one()
        if self.state != "confirmed" and not (
            self.state == "held" and self.awaiting_approval
        ):
            raise UserError(self.env._("This appointment cannot be changed any more."))
        cutoff = self._settings()["cutoff_hours"]
        if self.start - timedelta(hours=cutoff) < fields.Datetime.now():
            raise UserError(
                self.env._(
                    "Changes online are closed %(hours)s hours before the "
                    "appointment. Please call us to change it.",
                    hours=cutoff,
                )
            )

    # ------------------------------------------------------------------
    # Display helpers (e-mails, portal)
    # ------------------------------------------------------------------
    def _local_start(self, tz=None, dt_format="EEEE d MMMM y, HH:mm", start=None):
        """``start`` (the booking's by default) in the client's time zone,
        with its UTC offset when that hour happens twice that day (the
        autumn clock change), so the two are told apart."""
        self.ensure_one()
        value = start or self.start
        tz = tz or self.client_tz or "Europe/Paris"
        label = format_datetime(self.env, value, tz=tz, dt_format=dt_format)
        try:
            local = engine.utc_to_local(value, engine.get_zone(tz))
        except engine.InvalidTimezone:
            return label
        if engine.is_repeated_hour(local):
            label = f"{label} ({engine.offset_label(local)})"
        return label

    # ------------------------------------------------------------------
    # E-mails, reminders, crons
    # ------------------------------------------------------------------
    def _ics_attachment(self, method="REQUEST"):
        """The .ics of this booking for the client's agenda ("REQUEST": add
        or update, "CANCEL": remove), always under the same UID."""
        self.ensure_one()
        booking = self.sudo()
        Attachment = self.env["ir.attachment"].sudo()
        if not booking.ics_uid:
            if method != "REQUEST":
                return Attachment  # never sent: nothing to remove
            host = urlparse(booking.get_base_url()).hostname or "atelier"
            booking.ics_uid = f"atelier-booking-{uuid.uuid4()}@{host}"
        booking = booking.with_context(lang=booking.partner_id.lang or None)
        _ = booking.env._
        base_url = booking.get_base_url()
        lines = [_("With %(name)s.", name=booking.technician_id.name)]
        if method == "CANCEL":
            lines.append(
                _(
                    "Cancelled. Book again: %(url)s",
                    url=base_url + booking._book_again_url(),
                )
            )
        elif booking.access_token:
            lines.append(
                _("Reschedule or cancel: %(url)s", url=base_url + booking._manage_url())
            )
        company = booking.company_id
        content = ics.build(
            ics.IcsEvent(
                uid=booking.ics_uid,
                sequence=booking.ics_sequence,
                start=booking.start,
                stop=booking.stop,
                summary=" - ".join(
                    part
                    for part in (booking.appointment_type_id.name, company.name)
                    if part
                ),
                description="\n".join(lines),
                location=booking.location or "",
                organizer_email=company.email or "",
                organizer_name=company.name or "",
                attendee_email=booking.partner_id.email or "",
                attendee_name=booking.partner_id.name or "",
            ),
            method=method,
            stamp=fields.Datetime.now(),
        )
        return Attachment.create(
            {
                "name": "cancellation.ics" if method == "CANCEL" else "appointment.ics",
                "mimetype": "text/calendar",
                "datas": base64.b64encode(content),
                "res_model": self._name,
                "res_id": self.id,
            }
        )

    def _mail_author(self):
        """The company writes to the client: in the chatter, its e-mails are
        not shown as written by whoever was logged in (the client herself on
        the portal, OdooBot for a cron)."""
        self.ensure_one()
        return {"author_id": self.company_id.partner_id.id}

    def _send_mail(self, template_xmlid, ics_method=None):
        """E-mail the client with ``template_xmlid`` (and the .ics of
        ``ics_method``). Nothing goes to a contact who has not confirmed a
        guest booking made with their e-mail."""
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        for booking in self.sudo():
            if (
                not template
                or not booking.partner_id.email
                or not booking.partner_confirmed
            ):
                continue
            email_values = booking._mail_author()
            attachment = booking._ics_attachment(ics_method) if ics_method else None
            if attachment:
                email_values["attachment_ids"] = [fields.Command.link(attachment.id)]
            template.sudo().send_mail(
                booking.id, email_values=email_values, force_send=False
            )

    @api.model
    def _cron_expire_holds(self):
        lapsed = self.sudo().search(
            [
                ("state", "=", "held"),
                ("hold_expiry", "!=", False),
                ("hold_expiry", "<", fields.Datetime.now()),
            ]
        )
        lapsed.write({"state": "cancelled", "hold_token": False})
        return len(lapsed)

    @api.model
    def _cron_send_reminders(self):
        now = fields.Datetime.now()
        bookings = self.sudo().search(
            [
                ("state", "=", "confirmed"),
                ("partner_confirmed", "=", True),
                ("reminder_sent", "=", False),
                ("start", ">", now),
                ("start", "<=", now + timedelta(days=1)),
            ]
        )
        for booking in bookings:
            booking._send_mail("atelier_booking.mail_template_booking_reminder")
            booking._send_reminder_sms()
        bookings.write({"reminder_sent": True})
        return len(bookings)

    def _send_reminder_sms(self):
        """Queue an SMS when Odoo's sms module is installed (optional)."""
        self.ensure_one()
        if "sms.sms" not in self.env:
            return
        number = self.partner_id.mobile or self.partner_id.phone
        if not number:
            return
        self.env["sms.sms"].sudo().create(
            {
                "number": number,
                "partner_id": self.partner_id.id,
                "body": self.env._(
                    "Reminder: %(type)s on %(when)s. %(company)s",
                    type=self.appointment_type_id.name,
                    when=self._local_start(dt_format="d MMM HH:mm"),
                    company=self.company_id.name,
                ),
            }
        )

    @api.model
    def _guest_rate_exceeded(self, client_ip):
        """Whether guests behind this IP already booked the configured
        number of appointments in the last hour. Only bookings made without
        logging in carry an IP, and only booked ones count: not holds (taken
        or abandoned), not cancelled ones. Many people share one address (a
        garage's connection, a mobile carrier's NAT)."""
        limit = self._settings()["guest_hourly_limit"]
        if not client_ip or limit <= 0:
            return False
        count = self.sudo().search_count(
            [
                ("client_ip", "=", client_ip),
                ("create_date", ">=", fields.Datetime.now() - timedelta(hours=1)),
                "|",
                ("state", "in", BOOKED_STATES),
                "&",
                ("state", "=", "held"),
                ("awaiting_approval", "=", True),
            ]
        )
        return count >= limit
