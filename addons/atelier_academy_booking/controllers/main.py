# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools import format_date

from odoo.addons.atelier_academy.controllers.main import AtelierAcademyPortal
from odoo.addons.atelier_booking.models.atelier_booking import SlotTakenError
from odoo.addons.atelier_booking.tools import availability as engine

SLOTS_SHOWN = 12
DEFAULT_TZ = "Europe/Paris"


class AtelierAcademyBookingPortal(AtelierAcademyPortal):
    """The learner books their next coaching session from the dashboard.

    Thin: find the learner's own enrolment, ask the models for the coach's
    free slots and for the booking, render.
    """

    def _atelier_booking_enrolment(self, enrolment_id):
        enrolment = self._atelier_own_enrolment(enrolment_id)
        if enrolment.partner_id != request.env.user.partner_id:
            raise NotFound()  # a coach reads it, only the learner books
        return enrolment

    def _atelier_tz(self):
        tz = request.env.user.tz or DEFAULT_TZ
        try:
            engine.get_zone(tz)
        except engine.InvalidTimezone:
            tz = DEFAULT_TZ
        return tz

    def _atelier_slot_days(self, starts, tz):
        """[{"label", "slots": [{"start", "label"}]}] in the learner's zone."""
        zone = engine.get_zone(tz)
        days = {}
        for start in starts:
            local = engine.utc_to_local(start, zone)
            days.setdefault(local.date(), []).append(
                {"start": start.isoformat(), "label": local.strftime("%H:%M")}
            )
        result = []
        for day, slots in sorted(days.items()):
            label = format_date(request.env, day, date_format="EEEE d MMMM")
            result.append({"label": label[:1].upper() + label[1:], "slots": slots})
        return result

    def _atelier_booking_values(self, enrolment, after=None, error=None, slots=None):
        tz = self._atelier_tz()
        refusal = None
        starts = []
        appointment_type = enrolment._atelier_coaching_type()
        try:
            enrolment._atelier_check_can_book(appointment_type.duration / 60.0)
        except UserError as exc:
            refusal = exc.args[0]
        if not refusal:
            if slots is None:
                starts = [
                    start
                    for start, _users in appointment_type._next_free_slots(
                        limit=SLOTS_SHOWN,
                        date_from=after,
                        technician=enrolment.coach_id,
                    )
                ]
            else:
                starts = slots
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "atelier_academy_book",
                "enrolment": enrolment,
                "appointment_type": appointment_type,
                "tz": tz,
                "days": self._atelier_slot_days(starts, tz),
                "later": (starts[-1] + timedelta(minutes=1)).isoformat()
                if len(starts) == SLOTS_SHOWN
                else False,
                "refusal": refusal,
                "error": error,
            }
        )
        return values

    @http.route(
        "/my/academy/book/<int:enrolment_id>", type="http", auth="user", website=True
    )
    def portal_academy_book(self, enrolment_id, after=None, **kw):
        enrolment = self._atelier_booking_enrolment(enrolment_id)
        try:
            after = (
                request.env["atelier.appointment.type"]._parse_start(after)
                if after
                else None
            )
        except ValidationError as exc:
            return request.render(
                "atelier_academy_booking.portal_academy_book",
                self._atelier_booking_values(enrolment, error=exc.args[0]),
                status=400,
            )
        return request.render(
            "atelier_academy_booking.portal_academy_book",
            self._atelier_booking_values(enrolment, after=after),
        )

    @http.route(
        "/my/academy/book/<int:enrolment_id>/confirm",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_academy_book_confirm(self, enrolment_id, start=None, **kw):
        enrolment = self._atelier_booking_enrolment(enrolment_id)
        try:
            booking = (
                request.env["atelier.academy.enrolment"]
                .browse(enrolment.id)
                ._atelier_book_session(start, tz=self._atelier_tz())
            )
        except SlotTakenError as exc:
            request.env.cr.rollback()
            return request.render(
                "atelier_academy_booking.portal_academy_book",
                self._atelier_booking_values(
                    enrolment, error=exc.args[0], slots=exc.next_slots
                ),
                status=409,
            )
        except (UserError, ValidationError) as exc:
            request.env.cr.rollback()
            return request.render(
                "atelier_academy_booking.portal_academy_book",
                self._atelier_booking_values(enrolment, error=exc.args[0]),
                status=400 if isinstance(exc, ValidationError) else 409,
            )
        return request.redirect(f"{booking.sudo()._manage_url()}?new=1")
