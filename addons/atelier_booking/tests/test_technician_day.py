# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import setup_booking_data


@tagged("post_install", "-at_install")
class TestTechnicianDay(HttpCase):
    """Gaetan's day on a phone (issue #15, tour 6)."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        data = setup_booking_data(cls.env, prefix="techday")
        cls.gaetan = data["gaetan"]
        cls.type = data["type"]
        cls.type.location_type = "client"
        cls.jeanne = data["client"]
        cls.marc = data["portal"].partner_id
        cls.tomorrow = cls.env["res.partner"].create({"name": "Demain Client"})
        now = fields.Datetime.now().replace(second=0, microsecond=0)
        # the desk booked them earlier: two of today, started already
        Booking = cls.env["atelier.booking"].with_context(tracking_disable=True)
        cls.visits = Booking.create(
            [
                {
                    "appointment_type_id": cls.type.id,
                    "partner_id": partner.id,
                    "technician_id": cls.gaetan.id,
                    "start": start,
                    "state": "confirmed",
                    "partner_confirmed": True,
                    "answer_address": "40 rue Garibaldi\n69006 Lyon",
                }
                for partner, start in (
                    (cls.jeanne, now - timedelta(hours=3)),
                    (cls.marc, now - timedelta(minutes=10)),
                    (cls.tomorrow, now + timedelta(days=1, hours=2)),
                )
            ]
        )

    def test_technician_day_on_a_phone(self):
        self.assertIn("Garibaldi", self.visits[0].map_url)
        self.start_tour(
            "/odoo/action-atelier_booking.atelier_booking_day_action",
            "atelier_booking_technician_day_tour",
            login="techday_gaetan",
        )
        self.assertEqual(self.visits.mapped("state"), ["done", "no_show", "confirmed"])
