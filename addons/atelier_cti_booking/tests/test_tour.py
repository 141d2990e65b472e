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
        """Book, a slot, Confirm: the defaults (first type, first day with a
        free slot, least loaded technician) make three clicks; then another
        day and technician are chosen."""
        first_slot = self.type._next_free_slots(limit=1)[0][0]
        self.start_tour("/odoo", "atelier_cti_booking_tour", login="ctib_claire_desk")
        call = self.env["atelier.call"].search(
            [("provider_call_id", "=", "ctib-call-1")]
        )
        self.assertEqual(call.partner_id, self.client)
        bookings = self.env["atelier.booking"].search(
            [("partner_id", "=", self.client.id)], order="id"
        )
        self.assertEqual(len(bookings), 2)
        self.assertEqual(set(bookings.mapped("state")), {"confirmed"})
        self.assertEqual(bookings.atelier_call_id, call)
        first, second = bookings
        self.assertEqual(first.start, first_slot)
        self.assertEqual(first.technician_id, self.gaetan)
        self.assertEqual(second.technician_id, self.data["hugo"])
        self.assertGreater(second.start.date(), first.start.date())
