# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import html
import re
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..tools import availability as engine
from .common import BookingHttpCase, paris


@tagged("post_install", "-at_install")
class TestBookingHttp(BookingHttpCase):
    def test_guest_flow_over_http(self):
        response = self.get("/book")
        self.assertEqual(response.status_code, 200)
        self.assertIn("bkhttp diagnostic", response.text)
        # slots shown in the client's time zone: 09:00 Paris is 03:00 in New York
        response = self.get(
            f"/book/{self.type.id}?tz=America/New_York&day={self.monday}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            f'data-start="{paris(self.monday, 9).isoformat()}"', response.text
        )
        self.assertRegex(response.text, r">\s*03:00\s*<")
        response = self.hold(paris(self.monday, 9), tz="America/New_York")
        self.assertEqual(response.status_code, 303)
        details_url = response.headers["Location"]
        self.assertIn("/book/details/", details_url)
        booking = self.Booking.search([("appointment_type_id", "=", self.type.id)])
        self.assertEqual(booking.state, "held")
        self.assertEqual(booking.client_tz, "America/New_York")
        self.assertEqual(self.get(details_url).status_code, 200)
        # bad e-mail: refused with a message, the hold stays
        response = self.post(
            details_url, {"name": "Zoé", "email": "not-an-email"}, csrf_page=details_url
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("valid e-mail", response.text)
        response = self.post(
            details_url,
            {"name": "Zoé Martin", "email": "zoe@example.com", "vehicle": "Zoé 2"},
            csrf_page=details_url,
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn("/book/manage/", response.headers["Location"])
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(booking.partner_id.email, "zoe@example.com")
        self.assertEqual(booking.answer_vehicle, "Zoé 2")
        page = self.url_open(response.headers["Location"])
        self.assertIn("o_atelier_booking_confirmed", page.text)
        # the hold link is single-purpose: used, it no longer opens anything
        self.assertEqual(self.get(details_url).status_code, 410)

    @mute_logger("odoo.http")
    def test_bad_input_gives_400_never_500(self):
        base = f"/book/{self.type.id}"
        for query in ("tz=Mars/Olympus", "day=2027-02-30", "day=garbage", "tz=%00"):
            with self.subTest(query):
                response = self.get(f"{base}?{query}")
                self.assertEqual(response.status_code, 400)
                self.assertIn("o_atelier_booking_error", response.text)
        response = self.get(f"{base}/slots.json?tz=Nowhere/City")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"], "Unknown time zone.")
        response = self.get(f"{base}/slots.json?day={self.monday}")
        self.assertEqual(response.status_code, 200)
        day = next(d for d in response.json()["days"] if d["date"] == str(self.monday))
        self.assertEqual(len(day["slots"]), 6)
        now = fields.Datetime.now()
        for start in (
            "not a date",
            "2027-02-30T10:00:00",
            (now + timedelta(minutes=20)).isoformat(),
            (now + timedelta(days=200)).isoformat(),
            paris(self.monday, 9, 10).isoformat(),
        ):
            with self.subTest(start):
                response = self.post(f"{base}/hold", {"start": start})
                self.assertEqual(response.status_code, 400, response.text[:200])
                self.assertIn("o_atelier_booking_error", response.text)
        self.type.is_published = False
        self.assertEqual(self.get(base).status_code, 404)
        self.assertEqual(self.get("/book/999999").status_code, 404)

    def test_taken_slot_gives_409_with_next_slots(self):
        self.Booking._book(
            self.type,
            paris(self.monday, 9),
            partner=self.data["client"],
            technician=self.gaetan,
            hold=False,
        )
        self.Booking._book(
            self.type,
            paris(self.monday, 9),
            partner=self.data["client"],
            technician=self.data["hugo"],
            hold=False,
        )
        response = self.hold(paris(self.monday, 9))
        self.assertEqual(response.status_code, 409)
        self.assertIn("just taken", response.text)
        self.assertIn(
            f'data-start="{paris(self.monday, 11).isoformat()}"', response.text
        )

    def test_guest_rate_limit(self):
        self.env["ir.config_parameter"].set_param(
            "atelier_booking.guest_hourly_limit", 1
        )
        response = self.book_as_guest(
            paris(self.monday, 9), {"name": "Zoé Martin", "email": "zoe@example.com"}
        )
        self.assertEqual(response.status_code, 303)
        response = self.hold(paris(self.monday, 11))
        self.assertEqual(response.status_code, 429)
        self.assertIn("log in", response.text)

    def test_manage_links_and_cutoff(self):
        booking = self.Booking._book(
            self.type,
            paris(self.monday, 9),
            partner=self.data["client"],
            technician=self.gaetan,
            hold=False,
        )
        url = booking._manage_url()
        response = self.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Reschedule", response.text)
        self.assertEqual(self.get("/book/manage/forged-token").status_code, 404)
        # reschedule through the link
        response = self.get(f"{url}/reschedule")
        self.assertEqual(response.status_code, 200)
        response = self.post(
            f"{url}/reschedule",
            {"start": paris(self.monday, 14).isoformat()},
            csrf_page=url,
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(booking.start, paris(self.monday, 14))
        # past the cutoff: refused with a clear message
        self.env["ir.config_parameter"].set_param(
            "atelier_booking.manage_cutoff_hours", 24 * 60
        )
        response = self.get(url)
        self.assertIn("o_atelier_booking_cutoff", response.text)
        response = self.post(f"{url}/cancel", {})
        self.assertEqual(response.status_code, 403)
        self.assertIn("Please call us", response.text)
        self.assertEqual(booking.state, "confirmed")
        self.env["ir.config_parameter"].set_param(
            "atelier_booking.manage_cutoff_hours", 1
        )
        response = self.post(f"{url}/cancel", {})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(booking.state, "cancelled")
        # an expired link opens nothing
        booking.access_token_expiry = fields.Datetime.now() - timedelta(minutes=1)
        self.assertEqual(self.get(url).status_code, 404)

    def _title(self, response):
        self.assertEqual(response.status_code, 200)
        match = re.search(r"<title>\s*(.*?)\s*</title>", response.text, re.S)
        return html.unescape(match.group(1)).split(" | ")[0]

    def test_page_titles_name_the_page_not_its_template(self):
        """The browser tab read the template's name ("Booking: pick a slot"),
        English and untranslated, on every booking page."""
        self.assertEqual(self._title(self.get("/book")), "Book an appointment")
        self.assertEqual(
            self._title(self.get(f"/book/{self.type.id}?day={self.monday}")),
            self.type.name,
        )
        details_url = self.hold(paris(self.monday, 9)).headers["Location"]
        self.assertEqual(self._title(self.get(details_url)), "Your details")
        booking = self.Booking._book(
            self.type,
            paris(self.monday, 11),
            partner=self.data["portal"].partner_id,
            technician=self.gaetan,
            hold=False,
        )
        url = booking._manage_url()
        self.assertEqual(self._title(self.get(url)), "Your appointment")
        self.assertEqual(self._title(self.get(f"{url}/reschedule")), self.type.name)
        portal = self.data["portal"]
        self.authenticate(portal.login, portal.login)
        self.assertEqual(self._title(self.url_open("/my/bookings")), "My appointments")

    def test_portal_user_sees_own_bookings(self):
        portal = self.data["portal"]
        mine = self.Booking._book(
            self.type,
            paris(self.monday, 9),
            partner=portal.partner_id,
            technician=self.gaetan,
            hold=False,
        )
        self.Booking._book(
            self.type,
            paris(self.monday, 11),
            partner=self.data["client"],
            technician=self.gaetan,
            hold=False,
        )
        self.authenticate(portal.login, portal.login)
        response = self.url_open("/my/bookings")
        self.assertEqual(response.status_code, 200)
        self.assertIn(mine._manage_url(), response.text)
        self.assertEqual(response.text.count("/book/manage/"), 1)

    def test_tour_guest_books_online(self):
        self.start_tour("/book", "atelier_booking_guest_tour")
        booking = self.Booking.search(
            [("appointment_type_id", "=", self.data["type"].id)]
        )
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(booking.partner_id.email, "guest.tourist@example.com")
        self.assertEqual(booking.answer_vehicle, "Peugeot 208 AB-123-CD")
        self.assertTrue(booking.event_id)

    def test_tour_claire_books_from_contact(self):
        claire = self.data["claire"]
        client = self.data["client"]
        self.start_tour(
            f"/odoo/contacts/{client.id}",
            "atelier_booking_claire_tour",
            login=claire.login,
        )
        booking = self.Booking.search([("partner_id", "=", client.id)])
        self.assertEqual(booking.state, "confirmed")
        zone = engine.get_zone("Europe/Paris")
        self.assertGreater(booking.start, fields.Datetime.now())
        self.assertTrue(engine.utc_to_local(booking.start, zone).hour >= 9)
