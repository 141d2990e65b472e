# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .common import setup_vehicle_with_codes


@tagged("post_install", "-at_install")
class TestTechnicianTour(HttpCase):
    """Issue #15, tour 6 (second half), on a phone: the client's card, the
    vehicle's last diagnostic, a ticket from a trouble code."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.data = setup_vehicle_with_codes(cls.env, "fohtour")

    def test_ticket_from_code_on_a_phone(self):
        owner = self.data["owner"]
        self.start_tour(
            f"/odoo/contacts/{owner.id}",
            "atelier_fleet_obd_helpdesk_technician_tour",
            login="fohtour_tech",
        )
        ticket = self.env["helpdesk.ticket"].search(
            [("atelier_obd_dtc_id", "=", self.data["misfire_line"].id)]
        )
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.partner_id, owner)
        self.assertIn("P0301", ticket.name)
