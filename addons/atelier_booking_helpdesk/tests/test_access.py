# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from odoo.addons.atelier_booking.tests.common import (
    a_monday,
    paris,
    setup_booking_data,
)
from odoo.addons.atelier_helpdesk.tests.common import outsiders, public_methods


@tagged("post_install", "-at_install")
class TestPublicMethodsAccess(TransactionCase):
    """The RPC-callable methods of this addon, and the satisfaction follow-up
    it gives bookings, refuse a portal client, a coach and the OBD bridge's
    user on a ticket and a booking that are not theirs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.data = setup_booking_data(cls.env, prefix="bkhdacc")
        cls.users = outsiders(cls.env, "bkhdout")
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Freins",
                "description": "<p>x</p>",
                "partner_id": cls.data["client"].id,
            }
        )
        cls.booking = cls.env["atelier.booking"]._book(
            cls.data["type"],
            paris(a_monday(), 10),
            partner=cls.data["client"],
            technician=cls.data["gaetan"],
            hold=False,
        )

    def test_public_methods_refuse_outsiders(self):
        rating = self.env["rating.rating"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("atelier.booking"),
                "res_id": self.booking.id,
            }
        )
        calls = {
            ("helpdesk.ticket", "action_atelier_book"): lambda u: self.ticket.with_user(
                u
            ).action_atelier_book(),
            ("helpdesk.ticket", "action_atelier_view_bookings"): lambda u: (
                self.ticket.with_user(u).action_atelier_view_bookings()
            ),
        }
        self.assertEqual(
            public_methods(self.env, "atelier_booking_helpdesk"), set(calls)
        )
        # the satisfaction follow-up's entries, on a booking
        calls[("atelier.booking", "write")] = lambda u: self.booking.with_user(u).write(
            {"answer_description": "pris"}
        )
        calls[("atelier.booking", "rating_apply")] = lambda u: self.booking.with_user(
            u
        ).rating_apply(5, rating=rating)
        for role, user in self.users.items():
            for key, call in calls.items():
                with self.subTest(role=role, method=key):
                    with self.assertRaises(AccessError):
                        call(user)
        self.assertFalse(self.booking.atelier_csat)
