# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A logged-in client picks one of her registered vehicles in the online
booking form; the OBD bridge's user can call none of the booking methods."""

import re

from odoo import Command
from odoo.tests import tagged

from odoo.addons.atelier_booking.tests.common import (
    BookingHttpCase,
    paris,
    probe_public_methods,
)


@tagged("post_install", "-at_install")
class TestBookingVehicle(BookingHttpCase):
    PREFIX = "obdveh"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = cls.data["portal"]
        brand = cls.env["fleet.vehicle.model.brand"].create({"name": "obdveh Peugeot"})
        model = cls.env["fleet.vehicle.model"].create(
            {"name": "208", "brand_id": brand.id}
        )
        cls.mine = cls.env["fleet.vehicle"].create(
            {
                "model_id": model.id,
                "license_plate": "AB-123-CD",
                "atelier_owner_id": cls.portal.partner_id.id,
            }
        )
        cls.not_mine = cls.env["fleet.vehicle"].create(
            {
                "model_id": model.id,
                "license_plate": "ZZ-999-ZZ",
                "atelier_owner_id": cls.data["client"].id,
            }
        )
        cls.type.ask_vehicle = "required"

    def details(self, hour):
        response = self.hold(paris(self.monday, hour))
        self.assertEqual(response.status_code, 303, response.text[:300])
        url = response.headers["Location"]
        return url, self.url_open(url).text

    def test_client_picks_one_of_her_vehicles(self):
        self.authenticate(self.portal.login, self.portal.login)
        url, page = self.details(9)
        select = re.search(r'<select[^>]*name="vehicle_choice".*?</select>', page, re.S)
        self.assertTrue(select, "a list of her vehicles")
        self.assertIn("AB-123-CD", select.group(0))
        self.assertNotIn("ZZ-999-ZZ", page)
        form = {"name": "Marc Client", "email": self.portal.email}
        # someone else's vehicle is refused
        response = self.post(
            url, dict(form, vehicle_choice=str(self.not_mine.id)), csrf_page=url
        )
        self.assertEqual(response.status_code, 400)
        response = self.post(
            url, dict(form, vehicle_choice=str(self.mine.id)), csrf_page=url
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        booking = self.Booking.search([("partner_id", "=", self.portal.partner_id.id)])
        self.assertEqual(booking.atelier_vehicle_id, self.mine)
        self.assertIn("AB-123-CD", booking.answer_vehicle)

    def test_another_vehicle_as_free_text(self):
        self.authenticate(self.portal.login, self.portal.login)
        url, _page = self.details(10)
        response = self.post(
            url,
            {
                "name": "Marc Client",
                "email": self.portal.email,
                "vehicle_choice": "other",
                "vehicle": "Renault Kangoo EF-456-GH",
            },
            csrf_page=url,
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        booking = self.Booking.search([("partner_id", "=", self.portal.partner_id.id)])
        self.assertFalse(booking.atelier_vehicle_id)
        self.assertEqual(booking.answer_vehicle, "Renault Kangoo EF-456-GH")

    def test_guest_types_the_vehicle(self):
        _url, page = self.details(11)
        self.assertNotIn('name="vehicle_choice"', page)
        self.assertIn('name="vehicle"', page)

    def test_bridge_user_calls_no_booking_method(self):
        bridge = self.env["res.users"].create(
            {
                "name": "obdveh bridge",
                "login": "obdveh_bridge",
                "group_ids": [
                    Command.set([self.env.ref("atelier_fleet_obd.group_obd_bridge").id])
                ],
            }
        )
        booking = self.Booking._book(
            self.type,
            paris(self.monday, 14),
            partner=self.data["client"],
            technician=self.gaetan,
            hold=False,
        )
        probe_public_methods(
            self,
            bridge,
            {
                ("atelier.booking", "action_confirm"): (booking, ()),
                ("atelier.booking", "action_cancel"): (booking, ()),
                ("atelier.booking", "action_done"): (booking, ()),
                ("atelier.booking", "action_no_show"): (booking, ()),
                ("atelier.booking", "action_open_event"): (booking, ()),
                ("atelier.appointment.type", "action_view_bookings"): (self.type, ()),
                ("atelier.appointment.type", "action_toggle_published"): (
                    self.type,
                    (),
                ),
                ("res.partner", "action_atelier_view_bookings"): (
                    self.data["client"],
                    (),
                ),
                ("res.partner", "action_atelier_book"): (self.data["client"], ()),
            },
        )
        self.assertEqual(booking.state, "confirmed")
