# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What clients meet online: finding the booking, the form, the limits,
the guest who types someone else's e-mail, odd dates."""

import re
from datetime import date, timedelta

from odoo.tests import tagged
from odoo.tools import mute_logger

from ..tools import availability as engine
from .common import PARIS, BookingHttpCase, paris

VERIFY_RE = re.compile(r"/book/verify/[\w-]+")


@tagged("post_install", "-at_install")
class TestBookingPortal(BookingHttpCase):
    PREFIX = "bkportal"

    def mails_of(self, booking):
        return self.env["mail.mail"].search(
            [("model", "=", "atelier.booking"), ("res_id", "=", booking.id)]
        )

    # ------------------------------------------------------------------
    # item 8: booking can be found from day one
    # ------------------------------------------------------------------
    def test_website_menu_links_to_booking(self):
        website = self.env["website"].get_current_website()
        menu = self.env["website.menu"].search(
            [("url", "=", "/book"), ("website_id", "=", website.id)]
        )
        self.assertTrue(menu)
        self.assertEqual(menu.parent_id, website.menu_id)
        page = self.url_open("/")
        self.assertRegex(page.text, r'<a[^>]+href="/book"')

    def test_portal_home_offers_booking_without_any_booking(self):
        portal = self.data["portal"]
        self.assertFalse(
            self.Booking.search_count([("partner_id", "=", portal.partner_id.id)])
        )
        self.authenticate(portal.login, portal.login)
        page = self.url_open("/my").text
        for url in ("/book", "/my/bookings"):
            with self.subTest(url):
                card = re.search(
                    rf'<div class="([^"]*o_portal_index_card[^"]*)">\s*'
                    rf'<a href="{url}"',
                    page,
                )
                self.assertTrue(card, f"no card for {url}")
                self.assertNotIn("d-none", card.group(1).split())

    # ------------------------------------------------------------------
    # item 10: the address, as Odoo formats it, nothing mangled
    # ------------------------------------------------------------------
    def test_home_visit_address_prefilled_line_by_line(self):
        portal = self.data["portal"]
        portal.partner_id.write(
            {
                "street": "12 rue Francis de Pressensé",
                "street2": False,
                "zip": "69100",
                "city": "Villeurbanne",
                "country_id": self.env.ref("base.fr").id,
            }
        )
        self.type.location_type = "client"
        self.authenticate(portal.login, portal.login)
        response = self.hold(paris(self.monday, 9))
        details_url = response.headers["Location"]
        page = self.url_open(details_url).text
        textarea = re.search(r'<textarea[^>]*name="address"[^>]*>([^<]*)<', page)
        self.assertTrue(textarea, "the address is a multi-line field")
        lines = textarea.group(1).strip().splitlines()
        self.assertEqual(
            lines, ["12 rue Francis de Pressensé", "69100 Villeurbanne", "France"]
        )
        response = self.post(
            details_url,
            {
                "name": "Marc Client",
                "email": portal.email,
                "address": textarea.group(1),
            },
            csrf_page=details_url,
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        booking = self.Booking.search([("partner_id", "=", portal.partner_id.id)])
        self.assertEqual(
            booking.location,
            "12 rue Francis de Pressensé, 69100 Villeurbanne, France",
        )

    # ------------------------------------------------------------------
    # item 11: the per-IP limit counts confirmed guest bookings only
    # ------------------------------------------------------------------
    def test_guest_limit_counts_confirmed_guest_bookings_only(self):
        self.env["ir.config_parameter"].set_param(
            "atelier_booking.guest_hourly_limit", 1
        )
        self.env.company.phone = "+33 4 72 00 10 00"
        # abandoned holds do not count
        for hour in (9, 10):
            self.assertEqual(self.hold(paris(self.monday, hour)).status_code, 303)
        # one confirmed guest booking reaches the limit of 1
        response = self.book_as_guest(
            paris(self.monday, 11),
            {"name": "Zoé Martin", "email": "zoe.bkportal@example.com"},
        )
        self.assertEqual(response.status_code, 303, response.text[:300])
        refused = self.hold(paris(self.monday, 14))
        self.assertEqual(refused.status_code, 429)
        # a way forward: call us, or log in
        self.assertIn("tel:+33472001000", refused.text)
        self.assertIn("/web/login?redirect=", refused.text)
        # logged-in clients are not limited
        portal = self.data["portal"]
        self.authenticate(portal.login, portal.login)
        self.assertEqual(self.hold(paris(self.monday, 14)).status_code, 303)
        self.authenticate(None, None)
        # a cancelled booking does not count
        self.Booking.search([("partner_id.email", "=", "zoe.bkportal@example.com")])[
            0
        ]._cancel()
        self.assertEqual(self.hold(paris(self.monday, 15)).status_code, 303)

    # ------------------------------------------------------------------
    # item 23: a guest cannot book in another client's name
    # ------------------------------------------------------------------
    def test_guest_with_a_clients_email_books_a_pending_booking(self):
        portal = self.data["portal"]
        response = self.book_as_guest(
            paris(self.monday, 9),
            {
                "name": "Someone Else",
                "email": portal.email.upper(),
                "phone": "06 11 22 33 44",
            },
        )
        self.assertEqual(response.status_code, 303, response.text[:300])
        booking = self.Booking.search([("guest_email", "=ilike", portal.email)])
        # linked to the contact for the desk, but pending
        self.assertEqual(booking.partner_id, portal.partner_id)
        self.assertFalse(booking.partner_confirmed)
        self.assertEqual(booking.guest_name, "Someone Else")
        self.assertEqual(booking.state, "confirmed")
        # not in the client's portal
        self.assertFalse(self.Booking.with_user(portal).search([]))
        # the client gets no confirmation "of their own", only a question
        mails = self.mails_of(booking)
        self.assertEqual(len(mails), 1)
        self.assertFalse(mails.attachment_ids)
        self.assertNotIn(booking._manage_url(), mails.body_html)
        verify_url = VERIFY_RE.search(mails.body_html).group(0)
        # the guest gets this booking's page only, without the client's data
        page = self.url_open(response.headers["Location"]).text
        self.assertIn("o_atelier_booking_pending_email", page)
        self.assertNotIn(portal.name, page)
        # the client confirms from the e-mail: a page, then a button (link
        # scanners only GET)
        self.assertEqual(self.get(verify_url).status_code, 200)
        self.assertFalse(booking.partner_confirmed)
        response = self.post(verify_url, {}, csrf_page=verify_url)
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertTrue(booking.partner_confirmed)
        self.assertEqual(self.Booking.with_user(portal).search([]), booking)
        confirmation = self.mails_of(booking) - mails
        self.assertEqual(len(confirmation), 1)
        self.assertEqual(confirmation.attachment_ids.mimetype, "text/calendar")
        # the link is single-use
        self.assertEqual(self.get(verify_url).status_code, 404)

    def test_guest_with_a_new_email_gets_a_new_contact(self):
        response = self.book_as_guest(
            paris(self.monday, 9),
            {"name": "Paul Neuf", "email": "paul.bkportal@example.com"},
        )
        self.assertEqual(response.status_code, 303)
        booking = self.Booking.search(
            [("guest_email", "=", "paul.bkportal@example.com")]
        )
        self.assertNotEqual(booking.partner_id, self.data["client"])
        self.assertEqual(booking.partner_id.email, "paul.bkportal@example.com")
        self.assertTrue(booking.partner_confirmed)
        self.assertEqual(
            self.mails_of(booking).attachment_ids.mimetype, "text/calendar"
        )

    # ------------------------------------------------------------------
    # item 25: odd days answer 400 or a clamped page, never 500
    # ------------------------------------------------------------------
    @mute_logger("odoo.http")
    def test_days_out_of_range(self):
        base = f"/book/{self.type.id}"
        response = self.get(f"{base}?day=0001-01-01")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_atelier_booking_slots", response.text)
        response = self.get(f"{base}/slots.json?day=0001-01-01")
        self.assertEqual(response.status_code, 200)
        for url in (f"{base}?day=9999-12-31", f"{base}/slots.json?day=9999-12-31"):
            with self.subTest(url):
                response = self.get(url)
                self.assertEqual(response.status_code, 400)
                self.assertIn("days ahead", response.text)
        booking = self.Booking._book(
            self.type,
            paris(self.monday, 9),
            partner=self.data["client"],
            technician=self.gaetan,
            hold=False,
        )
        response = self.get(f"{booking._manage_url()}/reschedule?day=9999-12-31")
        self.assertEqual(response.status_code, 400)
        for start in ("9999-12-31T23:00:00-05:00", "0001-01-01T00:30:00+01:00"):
            with self.subTest(start):
                response = self.post(f"{base}/hold", {"start": start})
                self.assertEqual(response.status_code, 400)

    # ------------------------------------------------------------------
    # item 32: the hour that happens twice in autumn
    # ------------------------------------------------------------------
    def test_slot_picker_tells_the_repeated_hour_apart(self):
        zone = engine.get_zone(PARIS)
        day = date.today() + timedelta(days=1)
        while engine.local_day_bounds(day, zone)[1] - engine.local_day_bounds(
            day, zone
        )[0] != timedelta(hours=25):
            day += timedelta(days=1)
        night = self.env["resource.calendar"].create(
            {
                "name": "bkportal nights",
                "tz": PARIS,
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "night",
                            "dayofweek": str(day.weekday()),
                            "hour_from": 0,
                            "hour_to": 4,
                            "day_period": "morning",
                        },
                    )
                ],
            }
        )
        self.data["resources"].filtered(
            lambda r: r.user_id == self.gaetan
        ).calendar_id = night
        self.type.write(
            {
                "technician_ids": [(6, 0, self.gaetan.ids)],
                "max_horizon_days": (day - date.today()).days + 2,
                "buffer_after": 0,
            }
        )
        response = self.get(f"/book/{self.type.id}/slots.json?tz={PARIS}&day={day}")
        self.assertEqual(response.status_code, 200)
        slots = next(d for d in response.json()["days"] if d["date"] == str(day))
        labels = [slot["label"] for slot in slots["slots"]]
        self.assertEqual(
            labels, ["00:00", "01:00", "02:00 (UTC+2)", "02:00 (UTC+1)", "03:00"]
        )
        page = self.get(f"/book/{self.type.id}?tz={PARIS}&day={day}").text
        self.assertIn("02:00 (UTC+2)", page)
        self.assertIn("02:00 (UTC+1)", page)
