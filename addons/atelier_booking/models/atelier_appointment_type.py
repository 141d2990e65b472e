# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta, timezone

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools import availability as engine

QUESTION_MODES = [
    ("no", "Not asked"),
    ("optional", "Optional"),
    ("required", "Required"),
]


class AtelierAppointmentType(models.Model):
    _name = "atelier.appointment.type"
    _description = "Appointment type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    description = fields.Html(translate=True, sanitize=True)
    duration = fields.Integer(string="Duration (minutes)", required=True, default=60)
    slot_step = fields.Integer(
        string="Slot step (minutes)",
        required=True,
        default=30,
        help="Minutes between two proposed start times.",
    )
    buffer_before = fields.Integer(
        string="Buffer before (minutes)",
        default=0,
        help="Time kept free before the appointment (travel, preparation).",
    )
    buffer_after = fields.Integer(
        string="Buffer after (minutes)",
        default=0,
        help="Time kept free after the appointment (travel, report).",
    )
    min_notice_hours = fields.Float(
        string="Minimum notice (hours)",
        default=4.0,
        help="A client cannot book a slot starting sooner than this.",
    )
    max_horizon_days = fields.Integer(
        string="Booking horizon (days)",
        default=60,
        help="A client cannot book a slot starting later than this.",
    )
    technician_ids = fields.Many2many(
        "res.users",
        "atelier_appointment_type_technician_rel",
        "type_id",
        "user_id",
        string="Technicians",
        domain=[("share", "=", False)],
        help="Who can do it. Their working hours and time zone come from their "
        "resource (Settings > Technical > Resources), created on save when missing.",
    )
    assignment = fields.Selection(
        [("auto", "Automatic (least loaded first)"), ("client", "Client picks")],
        required=True,
        default="auto",
    )
    location_type = fields.Selection(
        [
            ("premises", "Our premises"),
            ("client", "Client's address"),
            ("video", "Video call"),
        ],
        string="Location",
        required=True,
        default="premises",
    )
    location_address = fields.Char(
        string="Premises address",
        help="Shown to the client; the company address when empty.",
    )
    video_url = fields.Char(string="Video link")
    ask_address = fields.Selection(QUESTION_MODES, default="no", required=True)
    ask_vehicle = fields.Selection(QUESTION_MODES, default="no", required=True)
    ask_description = fields.Selection(
        QUESTION_MODES, default="optional", required=True
    )
    confirmation = fields.Selection(
        [("auto", "Automatic"), ("manual", "By the assistant")],
        required=True,
        default="auto",
    )
    is_published = fields.Boolean(string="Published", default=False, index=True)
    product_id = fields.Many2one(
        "product.product",
        string="Price (product)",
        help="For paid appointments: the product whose price the client sees.",
    )
    price = fields.Float(related="product_id.lst_price", string="Price")
    currency_id = fields.Many2one(related="company_id.currency_id")
    booking_ids = fields.One2many("atelier.booking", "appointment_type_id")
    booking_count = fields.Integer(compute="_compute_booking_count")

    _duration_positive = models.Constraint(
        "CHECK (duration > 0 AND slot_step > 0)",
        "The duration and the slot step must be positive.",
    )
    _buffers_positive = models.Constraint(
        "CHECK (buffer_before >= 0 AND buffer_after >= 0)",
        "Buffers cannot be negative.",
    )
    _window_positive = models.Constraint(
        "CHECK (min_notice_hours >= 0 AND max_horizon_days > 0)",
        "The notice cannot be negative and the horizon must be positive.",
    )

    def _compute_booking_count(self):
        counts = dict(
            self.env["atelier.booking"]._read_group(
                [
                    ("appointment_type_id", "in", self.ids),
                    ("state", "in", ("held", "confirmed")),
                ],
                ["appointment_type_id"],
                ["__count"],
            )
        )
        for appointment_type in self:
            appointment_type.booking_count = counts.get(appointment_type, 0)

    @api.constrains("location_type", "video_url")
    def _check_video_url(self):
        for appointment_type in self:
            if appointment_type.location_type == "video" and not (
                appointment_type.video_url or ""
            ).startswith(("https://", "http://")):
                raise ValidationError(
                    self.env._("A video appointment needs a video link (https://…).")
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        types = super().create(vals_list)
        types.technician_ids._atelier_booking_ensure_resource()
        return types

    def write(self, vals):
        res = super().write(vals)
        if "technician_ids" in vals:
            self.technician_ids._atelier_booking_ensure_resource()
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_view_bookings(self):
        self.ensure_one()
        self.env["atelier.booking"]._atelier_check_role(
            ("atelier_base.group_assistant", "atelier_base.group_technician")
        )
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "atelier_booking.atelier_booking_action"
        )
        action["domain"] = [("appointment_type_id", "=", self.id)]
        action["context"] = {"default_appointment_type_id": self.id}
        return action

    def action_toggle_published(self):
        self.check_access("write")
        for appointment_type in self:
            appointment_type.is_published = not appointment_type.is_published

    @api.model
    def _bookable(self):
        """The types clients and callers can book: published, with someone
        to take them."""
        return self.search(
            [("is_published", "=", True), ("technician_ids", "!=", False)]
        )

    # ------------------------------------------------------------------
    # Availability (thin layer over tools.availability)
    # ------------------------------------------------------------------
    def _slot_rules(self):
        self.ensure_one()
        return engine.SlotRules(
            duration=timedelta(minutes=self.duration),
            step=timedelta(minutes=self.slot_step),
            buffer_before=timedelta(minutes=self.buffer_before),
            buffer_after=timedelta(minutes=self.buffer_after),
            min_notice=timedelta(hours=self.min_notice_hours),
            max_horizon=timedelta(days=self.max_horizon_days),
        )

    def _location_display(self):
        self.ensure_one()
        if self.location_type == "premises":
            return self.location_address or ", ".join(
                self.company_id.partner_id.sudo()._atelier_address_lines()
            )
        if self.location_type == "video":
            return self.video_url
        return self.env._("At your address")

    @api.model
    def _get_agendas(self, technicians, start, stop, exclude_bookings=None):
        """{user id: TechnicianAgenda} for every technician, over the UTC window
        [start, stop): one query each for resources, attendances, leaves,
        busy calendar events and bookings, whatever the number of
        technicians and days."""
        env = self.sudo().env
        technicians = technicians.sudo()
        exclude_bookings = (exclude_bookings or env["atelier.booking"]).sudo()
        resources = env["resource.resource"].search(
            [("user_id", "in", technicians.ids)], order="id"
        )
        resource_by_user = {}
        user_by_resource = {}
        for resource in resources:
            resource_by_user.setdefault(resource.user_id.id, resource)
            user_by_resource[resource.id] = resource.user_id.id
        calendars = resources.calendar_id
        attendances_by_calendar = {}
        for att in env["resource.calendar.attendance"].search_read(
            [
                ("calendar_id", "in", calendars.ids),
                ("display_type", "=", False),
                ("day_period", "!=", "lunch"),
            ],
            ["calendar_id", "dayofweek", "hour_from", "hour_to", "week_type"],
        ):
            attendances_by_calendar.setdefault(att["calendar_id"][0], []).append(
                engine.Attendance(
                    dayofweek=int(att["dayofweek"]),
                    hour_from=att["hour_from"],
                    hour_to=att["hour_to"],
                    week_type=int(att["week_type"]) if att["week_type"] else None,
                )
            )
        agendas = {}
        user_by_partner = {}
        for user in technicians:
            resource = resource_by_user.get(user.id)
            calendar = resource.calendar_id if resource else None
            agendas[user.id] = engine.TechnicianAgenda(
                tz=(resource and resource.tz) or user.tz or "Europe/Paris",
                attendances=attendances_by_calendar.get(calendar.id, [])
                if calendar
                else [],
                two_weeks=bool(calendar and calendar.two_weeks_calendar),
            )
            user_by_partner[user.partner_id.id] = user.id

        # leaves: the technician's own and the global ones of their calendar
        users_by_calendar = {}
        for user_id, resource in resource_by_user.items():
            users_by_calendar.setdefault(resource.calendar_id.id, []).append(user_id)
        leave_domain = (
            Domain("date_from", "<", stop)
            & Domain("date_to", ">", start)
            & (
                Domain("resource_id", "in", resources.ids)
                | (
                    Domain("resource_id", "=", False)
                    & Domain("calendar_id", "in", calendars.ids)
                )
            )
        )
        for leave in env["resource.calendar.leaves"].search_read(
            leave_domain, ["date_from", "date_to", "resource_id", "calendar_id"]
        ):
            if leave["resource_id"]:
                user_ids = [user_by_resource.get(leave["resource_id"][0])]
            else:
                user_ids = users_by_calendar.get(leave["calendar_id"][0], [])
            for user_id in user_ids:
                if user_id in agendas:
                    agendas[user_id].leaves.append(
                        (leave["date_from"], leave["date_to"])
                    )

        # calendar events where the technician attends and shows as busy
        env.flush_all()
        env.cr.execute(
            SQL(
                """
                SELECT att.partner_id, ev.start, ev.stop, ev.allday,
                       ev.start_date, ev.stop_date
                  FROM calendar_attendee att
                  JOIN calendar_event ev ON ev.id = att.event_id
                 WHERE att.partner_id = ANY(%(partners)s)
                   AND att.state != 'declined'
                   AND ev.active
                   AND ev.show_as = 'busy'
                   AND ev.start < %(stop)s
                   AND ev.stop > %(start)s
                   AND NOT ev.id = ANY(%(excluded)s)
                """,
                partners=list(user_by_partner),
                start=start - timedelta(days=1),
                stop=stop + timedelta(days=1),
                excluded=exclude_bookings.event_id.ids,
            )
        )
        for (
            partner_id,
            ev_start,
            ev_stop,
            allday,
            start_date,
            stop_date,
        ) in env.cr.fetchall():
            agenda = agendas[user_by_partner[partner_id]]
            if allday and start_date and stop_date:
                zone = engine.get_zone(agenda.tz)
                ev_start = engine.local_day_bounds(start_date, zone)[0]
                ev_stop = engine.local_day_bounds(stop_date, zone)[1]
            agenda.busy.append((ev_start, ev_stop))

        # existing bookings, with their buffers; lapsed holds do not count
        now = fields.Datetime.now()
        booking_domain = (
            Domain("technician_id", "in", technicians.ids)
            & Domain("state", "in", ("held", "confirmed"))
            & Domain("blocked_start", "<", stop)
            & Domain("blocked_stop", ">", start)
            & (
                Domain("state", "=", "confirmed")
                | Domain("hold_expiry", "=", False)
                | Domain("hold_expiry", ">=", now)
            )
            & Domain("id", "not in", exclude_bookings.ids)
        )
        for booking in env["atelier.booking"].search_read(
            booking_domain, ["technician_id", "blocked_start", "blocked_stop"]
        ):
            agendas[booking["technician_id"][0]].busy.append(
                (booking["blocked_start"], booking["blocked_stop"])
            )
        return agendas

    def _get_free_slots(
        self,
        date_from=None,
        date_to=None,
        technicians=None,
        now=None,
        exclude_bookings=None,
    ):
        """{user id: [UTC naive starts]} of the free slots of this type."""
        self.ensure_one()
        technicians = (
            technicians if technicians is not None else self.sudo().technician_ids
        )
        rules = self._slot_rules()
        now = (now or fields.Datetime.now()).replace(microsecond=0)
        earliest, latest = engine.window(now, rules)
        start = max(earliest, date_from or earliest)
        stop = min(latest, date_to or latest)
        if start > stop or not technicians:
            return {user.id: [] for user in technicians}
        agendas = self._get_agendas(
            technicians,
            start - rules.buffer_before - rules.duration,
            stop + rules.duration + rules.buffer_after + rules.buffer_before,
            exclude_bookings=exclude_bookings,
        )
        return engine.compute_availability(
            agendas, rules, now, date_from=date_from, date_to=date_to
        )

    def _slot_exists(self, start, technicians=None):
        """Whether ``start`` is a slot of this type in someone's working
        hours, busy or not (tells "taken" from "does not exist")."""
        self.ensure_one()
        technicians = technicians or self.sudo().technician_ids
        rules = self._slot_rules()
        agendas = self._get_agendas(
            technicians, start - timedelta(days=1), start + timedelta(days=1)
        )
        for agenda in agendas.values():
            agenda.busy = []
        found = engine.compute_availability(
            agendas,
            rules,
            fields.Datetime.now(),
            date_from=start,
            date_to=start,
        )
        return any(start in starts for starts in found.values())

    def _get_merged_slots(self, date_from=None, date_to=None, technician=None, **kw):
        """{start: [user ids]} sorted: one entry per start time, any
        technician (or only ``technician``)."""
        self.ensure_one()
        technicians = technician if technician else None
        return engine.merge_slots(
            self._get_free_slots(date_from, date_to, technicians=technicians, **kw)
        )

    def _next_free_slots(self, limit=6, date_from=None, technician=None, **kw):
        """The first ``limit`` free starts as [(start, [user ids])].

        The call pop-up and the wizard ask for a handful of slots: look in
        the first week (a quarter of the work of the whole horizon), and over
        the whole horizon only when that week has fewer than ``limit``."""
        self.ensure_one()
        since = date_from or kw.get("now") or fields.Datetime.now()
        merged = self._get_merged_slots(
            date_from=date_from,
            date_to=since + timedelta(days=7),
            technician=technician,
            **kw,
        )
        if len(merged) < limit:
            merged = self._get_merged_slots(
                date_from=date_from, technician=technician, **kw
            )
        return list(merged.items())[:limit]

    def _technician_load(self, technicians, around):
        """Number of active bookings of each technician in the week around
        ``around`` (used to pick the least loaded)."""
        counts = dict(
            self.env["atelier.booking"]
            .sudo()
            ._read_group(
                [
                    ("technician_id", "in", technicians.ids),
                    ("state", "in", ("held", "confirmed")),
                    ("start", ">=", around - timedelta(days=3)),
                    ("start", "<", around + timedelta(days=4)),
                ],
                ["technician_id"],
                ["__count"],
            )
        )
        return {user.id: count for user, count in counts.items()}

    def _pick_technician(self, start, candidate_ids):
        """The technician for a start: least loaded among the free ones."""
        self.ensure_one()
        candidates = self.env["res.users"].sudo().browse(candidate_ids)
        load = self._technician_load(candidates, start)
        return candidates.browse(engine.pick_least_loaded(candidate_ids, load))

    @api.model
    def _parse_start(self, value):
        """UTC naive datetime from an ISO string; ValidationError otherwise."""
        if isinstance(value, datetime):
            return value.replace(tzinfo=None, microsecond=0)
        try:
            parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
            if parsed.tzinfo:
                # year 1 or 9999 with an offset overflows here
                parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
        except (TypeError, ValueError, OverflowError) as exc:
            raise ValidationError(self.env._("This date is not valid.")) from exc
        return parsed.replace(microsecond=0)
