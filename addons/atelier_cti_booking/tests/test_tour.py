# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .common import CtiBookingCommon


@tagged("post_install", "-at_install")
class TestCallBookingTour(CtiBookingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_cti_booking()

    def test_book_from_the_popup_in_three_clicks(self):
        first_slot = self.type._next_free_slots(limit=1)[0][0]
        self.start_tour("/odoo", "atelier_cti_booking_tour", login="ctib_claire_desk")
        call = self.env["atelier.call"].search(
            [("provider_call_id", "=", "ctib-call-1")]
        )
        self.assertEqual(call.partner_id, self.client)
        booking = self.env["atelier.booking"].search(
            [("partner_id", "=", self.client.id)]
        )
        self.assertEqual(len(booking), 1)
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(booking.start, first_slot)
        self.assertEqual(booking.atelier_call_id, call)
