# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_datetime

from odoo.addons.atelier_booking.models.atelier_booking import SlotTakenError
from odoo.addons.atelier_booking.tools import availability as engine

DAY_LABEL_FORMAT = "EEE d MMM"
TIME_FORMAT = "HH:mm"
SLOT_LABEL_FORMAT = "EEE d MMM HH:mm"
# the day chips of the pop-up: the next days with a free slot, looked for
# over three weeks (a fraction of the engine's work over the whole horizon)
DAYS_SHOWN = 6
DAYS_SCANNED = 21


class AtelierCall(models.Model):
    _inherit = "atelier.call"

    atelier_booking_ids = fields.One2many(
        "atelier.booking",
        "atelier_call_id",
        string="Appointments booked",
        readonly=True,
    )
    atelier_booking_count = fields.Integer(
        string="Appointments", compute="_compute_atelier_booking_count"
    )

    @api.depends("atelier_booking_ids")
    def _compute_atelier_booking_count(self):
        for call in self:
            call.atelier_booking_count = len(call.atelier_booking_ids)

    # ------------------------------------------------------------------
    # Actions (call form)
    # ------------------------------------------------------------------
    def action_atelier_book(self):
        """The booking wizard of the caller, its bookings linked to the call."""
        self.ensure_one()
        self._atelier_check_can_book()
        return self.partner_id.action_atelier_book(atelier_call_id=self.id)

    def action_atelier_view_bookings(self):
        self.ensure_one()
        self.check_access("read")
        return self.atelier_booking_ids._atelier_action_view(
            [("atelier_call_id", "=", self.id)]
        )

    # ------------------------------------------------------------------
    # RPC from the pop-up
    # ------------------------------------------------------------------
    def atelier_booking_slots(
        self, appointment_type_id=False, day=False, technician_id=False
    ):
        """What the pop-up's booking step shows for the caller of this call.

        The bookable types and their technicians, the next days with a free
        slot of the type, and the free slots of one day, each with the
        technician it would be booked with (the least loaded free one, or
        ``technician_id``). Defaults: the first bookable type, any
        technician, the first day with a free slot. Everything comes from
        the booking engine (``atelier.appointment.type``).

        ``day``: ``YYYY-MM-DD`` in the user's time zone.
        """
        self.ensure_one()
        self._atelier_check_can_book()
        types = self.env["atelier.appointment.type"]._bookable()
        appointment_type = types.filtered(lambda t: t.id == appointment_type_id)[:1]
        appointment_type = appointment_type or types[:1]
        technicians = appointment_type.sudo().technician_ids
        technician = technicians.filtered(lambda u: u.id == technician_id)
        result = {
            "types": [
                {"id": t.id, "name": t.name, "duration": t.duration} for t in types
            ],
            "type_id": appointment_type.id or False,
            "technicians": [{"id": u.id, "name": u.name} for u in technicians],
            "technician_id": technician.id or False,
            "days": [],
            "day": False,
            "slots": [],
        }
        if not appointment_type:
            return result
        zone = engine.get_zone(self._atelier_tz())
        today = engine.utc_to_local(fields.Datetime.now(), zone).date()
        scan_until = engine.local_day_bounds(today + timedelta(days=DAYS_SCANNED), zone)
        merged = appointment_type._get_merged_slots(
            date_to=scan_until[0], technician=technician or None
        )
        by_day = {}
        for start, user_ids in merged.items():
            local_day = engine.utc_to_local(start, zone).date()
            by_day.setdefault(local_day, []).append((start, user_ids))
        days = sorted(by_day)[:DAYS_SHOWN]
        chosen = self._atelier_parse_day(day) if day else (days[0] if days else False)
        result["days"] = [
            {"day": d.isoformat(), "label": self._atelier_day_label(d, zone)}
            for d in days
        ]
        if not chosen:
            return result
        result["day"] = chosen.isoformat()
        result["day_label"] = self._atelier_day_label(chosen, zone)
        if chosen in by_day:
            slots = by_day[chosen]
        else:
            # a day further than the chips (picked in the date field)
            day_start, day_stop = engine.local_day_bounds(chosen, zone)
            slots = list(
                appointment_type._get_merged_slots(
                    date_from=day_start,
                    date_to=day_stop - timedelta(seconds=1),
                    technician=technician or None,
                ).items()
            )
        result["slots"] = self._atelier_slots_data(
            appointment_type, slots, technician, zone
        )
        return result

    def atelier_book_slot(self, appointment_type_id, start, technician_id=False):
        """Book ``start`` (UTC, ISO) of the type for the caller, confirmed,
        with ``technician_id`` (the technician the pop-up showed) or the
        least loaded free one.

        Returns ``{"booked": True, "booking_id", "label", "name",
        "technician"}``, or, when another booking got the slot first,
        ``{"booked": False, "message", "slots"}`` with the next free slots
        of that day (any technician)."""
        self.ensure_one()
        self._atelier_check_can_book()
        appointment_type = (
            self.env["atelier.appointment.type"]
            ._bookable()
            .filtered(lambda t: t.id == appointment_type_id)
        )
        if not appointment_type:
            raise UserError(self.env._("This appointment type cannot be booked."))
        technician = self.env["res.users"]
        if technician_id:
            technician = appointment_type.sudo().technician_ids.filtered(
                lambda u: u.id == technician_id
            )
            if not technician:
                raise UserError(
                    self.env._("This technician does not take this appointment type.")
                )
        partner = self.sudo().partner_id
        try:
            booking = self.env["atelier.booking"]._book(
                appointment_type,
                start,
                partner=partner,
                technician=technician or None,
                hold=False,
                client_tz=partner.tz or self.env.user.tz,
            )
        except SlotTakenError as exc:
            zone = engine.get_zone(self._atelier_tz())
            taken = appointment_type._parse_start(start)
            day = engine.utc_to_local(taken, zone).date()
            return {
                "booked": False,
                "message": exc.args[0],
                "slots": self.atelier_booking_slots(
                    appointment_type.id, day.isoformat()
                )["slots"],
            }
        booking.sudo().atelier_call_id = self
        return {
            "booked": True,
            "booking_id": booking.id,
            "label": self._atelier_slot_label(booking.start),
            "name": booking.display_name,
            "technician": booking.sudo().technician_id.name,
        }

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _atelier_check_can_book(self):
        self.check_access("write")
        if not self.env.user.has_group("atelier_base.group_assistant"):
            raise AccessError(self.env._("Only assistants book appointments."))
        if not self.partner_id:
            raise UserError(self.env._("Identify the caller before booking."))

    def _atelier_tz(self):
        return self.env.user.tz or "Europe/Paris"

    @api.model
    def _atelier_parse_day(self, value):
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise UserError(self.env._("This day is not valid.")) from None

    def _atelier_day_label(self, day, zone):
        noon = engine.local_to_utc(day, 12, zone)
        return format_datetime(
            self.env, noon, tz=self._atelier_tz(), dt_format=DAY_LABEL_FORMAT
        )

    def _atelier_slot_label(self, start, dt_format=SLOT_LABEL_FORMAT):
        return format_datetime(
            self.env, start, tz=self._atelier_tz(), dt_format=dt_format
        )

    def _atelier_slots_data(self, appointment_type, slots, technician, zone):
        """[{start, label, technician_id, technician, others}] of ``slots``
        ([(start, [user ids])]): each with the technician it books, the least
        loaded of the free ones (the engine's choice) unless one is asked."""
        if not slots:
            return []
        users = self.env["res.users"].sudo()
        load = {}
        if not technician:
            candidates = users.browse({uid for _start, ids in slots for uid in ids})
            load = appointment_type._technician_load(candidates, slots[0][0])
        result = []
        for start, user_ids in slots:
            chosen_id = technician.id or engine.pick_least_loaded(user_ids, load)
            result.append(
                {
                    "start": fields.Datetime.to_string(start),
                    "label": self._atelier_slot_label(start, TIME_FORMAT),
                    "technician_id": chosen_id,
                    "technician": users.browse(chosen_id).name,
                    "others": len(user_ids) - 1 if not technician else 0,
                }
            )
        return result
