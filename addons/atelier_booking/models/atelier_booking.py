# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import logging
import secrets
from contextlib import contextmanager
from datetime import timedelta

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, consteq, format_datetime

from ..tools import availability as engine

_logger = logging.getLogger(__name__)

ACTIVE_STATES = ("held", "confirmed")
# first key of pg_advisory_xact_lock(int, int) for "a booking of technician N"
_ADVISORY_NAMESPACE = 730_001
# what PostgreSQL raises when another transaction got the slot first
_CONFLICT_ERRORS = (
    psycopg2.errors.ExclusionViolation,
    psycopg2.errors.DeadlockDetected,
)


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
    client_ip = fields.Char(copy=False, groups="base.group_system")
    client_tz = fields.Char(string="Client time zone", default="Europe/Paris")
    reminder_sent = fields.Boolean(copy=False)
    location = fields.Char(compute="_compute_location")
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

    def _compute_location(self):
        for booking in self:
            if booking.appointment_type_id.location_type == "client":
                booking.location = booking.answer_address or (
                    booking.partner_id.contact_address or ""
                ).replace("\n", ", ").strip(", ")
            else:
                booking.location = booking.appointment_type_id._location_display()

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
        for booking in self:
            if booking.state != "held":
                raise UserError(self.env._("Only a held booking can be confirmed."))
        self._confirm(approved=True)
        return True

    def action_cancel(self):
        self._cancel()
        return True

    def action_done(self):
        self._set_outcome("done")
        return True

    def action_no_show(self):
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
        return {
            "type": "ir.actions.act_window",
            "res_model": "calendar.event",
            "res_id": self.event_id.id,
            "view_mode": "form",
        }

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
            booking._confirm(approved=True)
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

    def _lock_technician(self, technician):
        """Queue concurrent bookings of one technician behind each other until
        commit. The exclusion constraint stays the guard; the lock only turns
        the deadlocks that concurrent inserts checking an exclusion constraint
        can run into into a clean wait followed by an ExclusionViolation."""
        self.env.cr.execute(
            SQL(
                "SELECT pg_advisory_xact_lock(%(ns)s, %(tech)s)",
                ns=_ADVISORY_NAMESPACE,
                tech=technician.id,
            )
        )

    @contextmanager
    def _slot_guard(self, appointment_type, start, technician=None):
        """Savepoint around a write that takes a slot: when the exclusion
        constraint refuses it (another booking got there first), roll the
        write back and raise SlotTakenError with the next free slots."""
        try:
            with self.env.cr.savepoint():
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

    def _confirm(self, approved=False):
        """Held -> confirmed: calendar event, manage token, e-mail with .ics.
        ``approved`` is False for a client's confirmation of a type that the
        assistant approves; then the booking waits, still blocking the slot."""
        for booking in self.sudo():
            if booking.state != "held" or (booking.awaiting_approval and not approved):
                raise UserError(
                    self.env._("This hold ran out. Please pick a slot again.")
                )
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
            booking._send_mail("atelier_booking.mail_template_booking_confirmed")

    def _event_vals(self):
        self.ensure_one()
        return {
            "name": self.name,
            "start": self.start,
            "stop": self.stop,
            "user_id": self.technician_id.id,
            "partner_ids": [
                fields.Command.set(
                    (self.technician_id.partner_id | self.partner_id).ids
                )
            ],
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
        return (
            self.env["calendar.event"]
            .sudo()
            .with_context(no_mail_to_attendees=True, dont_notify=True)
            .create(self._event_vals())
        )

    def _cancel(self):
        for booking in self.sudo():
            if booking.state not in ACTIVE_STATES:
                raise UserError(self.env._("This booking is not active any more."))
            was_confirmed = booking.state == "confirmed"
            booking.write(
                {"state": "cancelled", "hold_token": False, "awaiting_approval": False}
            )
            if booking.event_id:
                booking.event_id.with_context(
                    no_mail_to_attendees=True, dont_notify=True
                ).action_archive()
            if was_confirmed:
                booking._send_mail("atelier_booking.mail_template_booking_cancelled")

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
                }
            )
            if booking.event_id:
                booking.event_id.with_context(
                    no_mail_to_attendees=True, dont_notify=True
                ).write(
                    {
                        "start": booking.start,
                        "stop": booking.stop,
                        "user_id": technician.id,
                        "partner_ids": [
                            fields.Command.set(
                                (technician.partner_id | booking.partner_id).ids
                            )
                        ],
                    }
                )
        booking._send_mail("atelier_booking.mail_template_booking_confirmed")
        return True

    # ------------------------------------------------------------------
    # Tokens
    # ------------------------------------------------------------------
    @api.model
    def _find_by_token(self, token, purpose):
        """The booking a client link points to, or an empty recordset.

        ``purpose`` is "hold" (the details form of a held slot) or "manage"
        (reschedule/cancel): each token opens only its own door and expires.
        """
        if not token or not isinstance(token, str) or len(token) > 100:
            return self.browse()
        field = "hold_token" if purpose == "hold" else "access_token"
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
        return booking

    def _manage_url(self):
        self.ensure_one()
        return f"/book/manage/{self.sudo().access_token}"

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
    def _local_start(self, tz=None, dt_format="EEEE d MMMM y, HH:mm"):
        self.ensure_one()
        return format_datetime(
            self.env, self.start, tz=tz or self.client_tz, dt_format=dt_format
        )

    # ------------------------------------------------------------------
    # E-mails, reminders, crons
    # ------------------------------------------------------------------
    def _ics_attachment(self):
        self.ensure_one()
        if not self.event_id:
            return self.env["ir.attachment"]
        ics = self.event_id.sudo()._get_ics_file().get(self.event_id.id)
        if not ics:
            return self.env["ir.attachment"]
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": "appointment.ics",
                    "mimetype": "text/calendar",
                    "datas": base64.b64encode(ics),
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )

    def _send_mail(self, template_xmlid):
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        for booking in self.sudo():
            if not template or not booking.partner_id.email:
                continue
            attachments = booking._ics_attachment() if booking.event_id else None
            email_values = {}
            if attachments:
                email_values["attachment_ids"] = [fields.Command.link(attachments.id)]
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
        """Whether this IP already took the configured number of slots in
        the last hour."""
        limit = self._settings()["guest_hourly_limit"]
        if not client_ip or limit <= 0:
            return False
        count = self.sudo().search_count(
            [
                ("client_ip", "=", client_ip),
                ("create_date", ">=", fields.Datetime.now() - timedelta(hours=1)),
            ]
        )
        return count >= limit
