# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Online booking: /book -> slots -> details -> confirmation (four screens),
and /book/manage/<token> to reschedule or cancel. Thin: parse, validate,
call the models, render."""

import json
import logging
import re
from datetime import date, datetime, timedelta, timezone
from urllib.parse import quote as url_quote

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools import format_date

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.atelier_booking import SlotTakenError
from ..models.res_partner import clean_address_lines
from ..tools import availability as engine

_logger = logging.getLogger(__name__)

DEFAULT_TZ = "Europe/Paris"
DAYS_SHOWN = 7
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class BadRequest(ValueError):
    """Input we refuse with a 400 and a clear message."""


class AtelierBooking(http.Controller):
    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _tz(self, value):
        value = (value or "").strip() or DEFAULT_TZ
        try:
            engine.get_zone(value)
        except engine.InvalidTimezone as exc:
            raise BadRequest(request.env._("Unknown time zone.")) from exc
        return value

    def _day(self, value, zone, appointment_type):
        """The first local day of a slots screen: today when not given or
        past, a 400 beyond the booking horizon (never an overflow)."""
        today = datetime.now(zone).date()
        if not value:
            return today
        try:
            day = date.fromisoformat(str(value))
        except ValueError as exc:
            raise BadRequest(request.env._("This date is not valid.")) from exc
        last = self._last_day(appointment_type, zone)
        if day > last:
            raise BadRequest(
                request.env._(
                    "Appointments can be booked at most %(days)s days ahead: "
                    "pick a day until %(last)s.",
                    days=appointment_type.max_horizon_days,
                    last=format_date(request.env, last),
                )
            )
        return max(day, today)

    def _last_day(self, appointment_type, zone):
        """The last local day a slot of the type can start."""
        latest = engine.window(
            datetime.now(timezone.utc).replace(tzinfo=None),
            appointment_type._slot_rules(),
        )[1]
        return engine.utc_to_local(latest, zone).date()

    def _type(self, type_id):
        appointment_type = (
            request.env["atelier.appointment.type"].sudo().browse(type_id).exists()
        )
        if not appointment_type or not appointment_type.is_published:
            raise request.not_found()
        return appointment_type

    def _technician(self, appointment_type, value):
        if not value or appointment_type.assignment != "client":
            return None
        try:
            user_id = int(value)
        except (TypeError, ValueError) as exc:
            raise BadRequest(request.env._("Unknown technician.")) from exc
        technician = appointment_type.technician_ids.filtered(lambda u: u.id == user_id)
        if not technician:
            raise BadRequest(request.env._("Unknown technician."))
        return technician

    def _slot_params(self, appointment_type, tz, day, technician):
        """(time zone, local day, technician or None) of a slots screen;
        BadRequest for garbage."""
        tz = self._tz(tz)
        return (
            tz,
            self._day(day, engine.get_zone(tz), appointment_type),
            self._technician(appointment_type, technician),
        )

    def _error(
        self,
        message,
        status=400,
        appointment_type=None,
        slots=(),
        tz=None,
        way_forward=False,
    ):
        """The error page; ``way_forward`` adds the company's phone number
        and a link to log in (for the refusals that a login lifts)."""
        company = request.env.company.sudo()
        phone = company.phone or ""
        return request.render(
            "atelier_booking.booking_error",
            {
                "message": message,
                "appointment_type": appointment_type,
                "slots": self._format_slots(slots, tz or DEFAULT_TZ),
                "tz": tz or DEFAULT_TZ,
                "way_forward": way_forward,
                "company_phone": phone,
                "company_phone_uri": "".join(
                    c for c in phone if c.isdigit() or c == "+"
                ),
                "login_url": "/web/login?redirect="
                + url_quote(
                    f"/book/{appointment_type.id}" if appointment_type else "/book"
                ),
            },
            status=status,
        )

    def _json(self, payload, status=200):
        return request.make_response(
            json.dumps(payload, default=str),
            headers=[("Content-Type", "application/json")],
            status=status,
        )

    def _format_slots(self, starts, tz):
        zone = engine.get_zone(tz)
        return [
            {
                "start": start.isoformat(),
                # the hour that happens twice in autumn carries its offset
                "label": engine.time_label(start, zone),
                "day": engine.utc_to_local(start, zone).date(),
            }
            for start in starts
        ]

    def _taken_error(self, exc, appointment_type, tz):
        """409 page of a SlotTakenError, with its next free slots."""
        return self._error(
            exc.args[0],
            status=409,
            appointment_type=appointment_type,
            slots=exc.next_slots,
            tz=tz,
        )

    def _days(self, appointment_type, day, tz, technician=None, exclude=None):
        """Free slots of DAYS_SHOWN local days from ``day``, grouped by day."""
        zone = engine.get_zone(tz)
        date_from = engine.local_to_utc(day, 0, zone)
        date_to = engine.local_to_utc(day + timedelta(days=DAYS_SHOWN), 0, zone)
        merged = appointment_type._get_merged_slots(
            date_from=date_from,
            date_to=date_to - timedelta(seconds=1),
            technician=technician,
            exclude_bookings=exclude,
        )
        by_day = {day + timedelta(days=n): [] for n in range(DAYS_SHOWN)}
        for slot in self._format_slots(merged, tz):
            by_day.setdefault(slot["day"], []).append(slot)
        return [
            {
                "date": d,
                "label": format_date(request.env, d, date_format="EEE d MMM"),
                "slots": slots,
            }
            for d, slots in sorted(by_day.items())
        ]

    def _render_slots(
        self, appointment_type, day, tz, action, technician=None, reschedule=None
    ):
        """Screen 2, or the reschedule screen of the booking ``reschedule``:
        DAYS_SHOWN days of free slots from ``day``, posted to ``action``."""
        return request.render(
            "atelier_booking.booking_slots",
            {
                "appointment_type": appointment_type,
                "tz": tz,
                "days": self._days(
                    appointment_type, day, tz, technician=technician, exclude=reschedule
                ),
                "technician": technician,
                "previous_day": day - timedelta(days=DAYS_SHOWN),
                "next_day": day + timedelta(days=DAYS_SHOWN),
                "show_previous": day > datetime.now(engine.get_zone(tz)).date(),
                "show_next": day + timedelta(days=DAYS_SHOWN)
                <= self._last_day(appointment_type, engine.get_zone(tz)),
                "action": action,
                "reschedule": reschedule,
            },
        )

    # ------------------------------------------------------------------
    # screen 1: appointment types
    # ------------------------------------------------------------------
    @http.route("/book", type="http", auth="public", website=True, sitemap=True)
    def book_index(self, tz=None, **kw):
        try:
            tz = self._tz(tz)
        except BadRequest as exc:
            return self._error(str(exc))
        types = request.env["atelier.appointment.type"].sudo()._bookable()
        return request.render(
            "atelier_booking.booking_index", {"appointment_types": types, "tz": tz}
        )

    # ------------------------------------------------------------------
    # screen 2: day and slot
    # ------------------------------------------------------------------
    @http.route(
        "/book/<int:type_id>", type="http", auth="public", website=True, sitemap=False
    )
    def book_slots(self, type_id, tz=None, day=None, technician=None, **kw):
        appointment_type = self._type(type_id)
        try:
            tz, day, technician = self._slot_params(
                appointment_type, tz, day, technician
            )
        except BadRequest as exc:
            return self._error(str(exc), appointment_type=appointment_type)
        return self._render_slots(
            appointment_type,
            day,
            tz,
            f"/book/{appointment_type.id}/hold",
            technician=technician,
        )

    @http.route(
        "/book/<int:type_id>/slots.json",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        readonly=True,
    )
    def book_slots_json(self, type_id, tz=None, day=None, technician=None, **kw):
        appointment_type = self._type(type_id)
        try:
            tz, day, technician = self._slot_params(
                appointment_type, tz, day, technician
            )
        except BadRequest as exc:
            return self._json({"error": str(exc)}, status=400)
        days = self._days(appointment_type, day, tz, technician=technician)
        return self._json(
            {
                "tz": tz,
                "days": [
                    {"date": d["date"].isoformat(), "slots": d["slots"]} for d in days
                ],
            }
        )

    @http.route(
        "/book/<int:type_id>/hold",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def book_hold(self, type_id, start=None, tz=None, technician=None, **kw):
        appointment_type = self._type(type_id)
        try:
            tz = self._tz(tz)
            technician = self._technician(appointment_type, technician)
        except BadRequest as exc:
            return self._error(str(exc), appointment_type=appointment_type)
        Booking = request.env["atelier.booking"]
        is_guest = request.env.user._is_public()
        # only guests are limited per IP (and only their IP is kept)
        client_ip = request.httprequest.remote_addr if is_guest else None
        if is_guest and Booking._guest_rate_exceeded(client_ip):
            return self._rate_limited(appointment_type, client_ip)
        partner = None if is_guest else request.env.user.partner_id
        try:
            booking = Booking._book(
                appointment_type,
                start,
                partner=partner,
                technician=technician,
                hold=True,
                client_ip=client_ip,
                client_tz=tz,
            )
        except SlotTakenError as exc:
            return self._taken_error(exc, appointment_type, tz)
        except (ValidationError, UserError) as exc:
            return self._error(exc.args[0], appointment_type=appointment_type, tz=tz)
        return request.redirect(f"/book/details/{booking.sudo().hold_token}")

    def _rate_limited(self, appointment_type, client_ip):
        _logger.info("Booking: hourly guest limit reached for %s", client_ip)
        return self._error(
            request.env._(
                "Many appointments were booked from your connection in the last "
                "hour. To book another one, please call us or log in to your "
                "account: logged-in clients are not limited."
            ),
            status=429,
            appointment_type=appointment_type,
            way_forward=True,
        )

    # ------------------------------------------------------------------
    # screen 3: details
    # ------------------------------------------------------------------
    def _hold_or_error(self, token):
        booking = request.env["atelier.booking"]._find_by_token(token, "hold")
        if not booking:
            return None, self._error(
                request.env._(
                    "This link expired or the slot was released. Please pick a "
                    "slot again."
                ),
                status=410,
            )
        return booking, None

    def _details_values(self, booking, form=None, errors=None):
        user = request.env.user
        partner = user.partner_id if not user._is_public() else None
        appointment_type = booking.appointment_type_id
        form = form or {}
        if partner and not form:
            form = {
                "name": partner.name,
                "email": partner.email or "",
                "phone": partner.phone or partner.mobile or "",
                # one line per part, as Odoo formats it for the country
                "address": "\n".join(partner.sudo()._atelier_address_lines()),
            }
        vehicles = []
        if partner and appointment_type.ask_vehicle != "no":
            vehicles = request.env["atelier.booking"]._atelier_vehicle_choices(partner)
        return {
            "booking": booking,
            "appointment_type": appointment_type,
            "when": booking._local_start(),
            "form": form,
            "errors": errors or {},
            "ask_address": "required"
            if appointment_type.location_type == "client"
            else appointment_type.ask_address,
            "vehicles": vehicles,
        }

    @http.route(
        "/book/details/<string:token>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def book_details(self, token, **kw):
        booking, error = self._hold_or_error(token)
        if error:
            return error
        if request.httprequest.method == "POST":
            return self._book_confirm(booking, kw)
        return request.render(
            "atelier_booking.booking_details", self._details_values(booking)
        )

    def _validate_details(self, booking, form):
        env = request.env
        appointment_type = booking.appointment_type_id
        values = self._details_values(booking, form)
        errors = {}
        clean = {
            key: (form.get(key) or "").strip()[:500]
            for key in ("name", "email", "phone", "address", "vehicle", "description")
        }
        if not clean["name"]:
            errors["name"] = env._("Please give your name.")
        if not EMAIL_RE.match(clean["email"]):
            errors["email"] = env._("Please give a valid e-mail address.")
        if clean["phone"]:
            try:
                env["res.partner"]._atelier_normalize_phone(clean["phone"])
            except ValueError:
                errors["phone"] = env._("This phone number is not valid.")
        clean["address"] = "\n".join(
            clean_address_lines((form.get("address") or "")[:500])
        )
        clean["vehicle_vals"] = {}
        choice = (form.get("vehicle_choice") or "").strip()
        if choice and choice != "other":
            label = dict(values["vehicles"]).get(choice)
            if not label:
                errors["vehicle"] = env._("Please pick one of your vehicles.")
            else:
                clean["vehicle"] = label
                clean["vehicle_vals"] = env[
                    "atelier.booking"
                ]._atelier_vehicle_choice_vals(choice)
        for key, mode in (
            ("address", values["ask_address"]),
            ("vehicle", appointment_type.ask_vehicle),
            ("description", appointment_type.ask_description),
        ):
            if mode == "required" and not clean[key] and key not in errors:
                errors[key] = env._("This answer is required.")
        return clean, errors

    def _book_confirm(self, booking, form):
        clean, errors = self._validate_details(booking, form)
        if errors:
            return request.render(
                "atelier_booking.booking_details",
                self._details_values(booking, clean, errors),
                status=400,
            )
        user = request.env.user
        vals = {
            "answer_address": clean["address"] or False,
            "answer_vehicle": clean["vehicle"] or False,
            "answer_description": clean["description"] or False,
            **clean["vehicle_vals"],
        }
        if user._is_public():
            client_ip = request.httprequest.remote_addr
            if request.env["atelier.booking"]._guest_rate_exceeded(client_ip):
                return self._rate_limited(booking.appointment_type_id, client_ip)
            partner, confirmed = request.env[
                "res.partner"
            ]._atelier_booking_guest_partner(
                clean["name"], clean["email"], clean["phone"] or None
            )
            vals.update(
                partner_confirmed=confirmed,
                guest_name=clean["name"],
                guest_email=clean["email"],
                guest_phone=clean["phone"] or False,
            )
        else:
            partner = user.partner_id
        booking.write(dict(vals, partner_id=partner.id))
        try:
            booking._confirm(approved=False)
        except SlotTakenError as exc:
            return self._taken_error(
                exc, booking.appointment_type_id, booking.client_tz
            )
        except UserError as exc:
            return self._error(exc.args[0], status=410)
        booking._send_verification()
        return request.redirect(f"{booking._manage_url()}?new=1")

    # ------------------------------------------------------------------
    # screen 4: confirmation, reschedule, cancel
    # ------------------------------------------------------------------
    def _manage_or_error(self, token):
        booking = request.env["atelier.booking"]._find_by_token(token, "manage")
        if not booking:
            return None, self._error(
                request.env._("This link is not valid or has expired."), status=404
            )
        return booking, None

    def _manage_values(self, booking, **extra):
        can_change, reason = True, False
        try:
            booking._check_manage_allowed()
        except UserError as exc:
            can_change, reason = False, exc.args[0]
        return {
            "booking": booking,
            "appointment_type": booking.appointment_type_id,
            "when": booking._local_start(),
            "token": booking.access_token,
            "can_change": can_change,
            "reason": reason,
            "pending_email": not booking.partner_confirmed,
            **extra,
        }

    @http.route(
        "/book/manage/<string:token>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def book_manage(self, token, new=None, **kw):
        booking, error = self._manage_or_error(token)
        if error:
            return error
        return request.render(
            "atelier_booking.booking_manage",
            self._manage_values(booking, new=bool(new)),
        )

    @http.route(
        "/book/manage/<string:token>/cancel",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def book_manage_cancel(self, token, **kw):
        booking, error = self._manage_or_error(token)
        if error:
            return error
        try:
            booking._check_manage_allowed()
            booking._cancel()
        except UserError as exc:
            return self._error(exc.args[0], status=403)
        return request.render(
            "atelier_booking.booking_manage",
            self._manage_values(booking, cancelled=True),
        )

    @http.route(
        "/book/manage/<string:token>/reschedule",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def book_manage_reschedule(self, token, tz=None, day=None, start=None, **kw):
        booking, error = self._manage_or_error(token)
        if error:
            return error
        try:
            booking._check_manage_allowed()
        except UserError as exc:
            return self._error(exc.args[0], status=403)
        appointment_type = booking.appointment_type_id
        try:
            tz = self._tz(tz or booking.client_tz)
            day = self._day(day, engine.get_zone(tz), appointment_type)
        except BadRequest as exc:
            return self._error(str(exc))
        if request.httprequest.method == "POST":
            try:
                booking._reschedule(start)
            except SlotTakenError as exc:
                return self._taken_error(exc, appointment_type, tz)
            except (ValidationError, UserError) as exc:
                return self._error(exc.args[0])
            return request.redirect(booking._manage_url())
        technician = booking._reschedule_technician()
        return self._render_slots(
            appointment_type,
            day,
            tz,
            f"/book/manage/{token}/reschedule",
            technician=technician,
            reschedule=booking,
        )

    # ------------------------------------------------------------------
    # a client confirms a guest booking made with their e-mail
    # ------------------------------------------------------------------
    @http.route(
        "/book/verify/<string:token>",
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        sitemap=False,
    )
    def book_verify(self, token, **kw):
        """GET shows the booking and a button (mail scanners follow links),
        POST confirms it is the client's."""
        booking = request.env["atelier.booking"]._find_by_token(token, "verify")
        if not booking:
            return self._error(
                request.env._("This link is not valid or has expired."), status=404
            )
        verified = False
        if request.httprequest.method == "POST":
            booking._verify_partner()
            verified = True
        return request.render(
            "atelier_booking.booking_verify",
            {
                "booking": booking,
                "appointment_type": booking.appointment_type_id,
                "when": booking._local_start(),
                "token": token,
                "verified": verified,
            },
        )


class AtelierBookingPortal(CustomerPortal):
    @http.route(["/my/bookings"], type="http", auth="user", website=True)
    def portal_my_bookings(self, **kw):
        # a slot held while the client fills the form is no appointment yet
        bookings = request.env["atelier.booking"].search(
            ["|", ("state", "!=", "held"), ("awaiting_approval", "=", True)],
            order="start desc",
        )
        values = self._prepare_portal_layout_values()
        values.update({"bookings": bookings, "page_name": "atelier_bookings"})
        return request.render("atelier_booking.portal_my_bookings", values)
