# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.atelier_cti.tests.common import (
    ORM_OVERRIDES,
    public_methods,
    technical_user,
)

from .common import CtiBookingCommon


@tagged("post_install", "-at_install")
class TestPublicMethods(CtiBookingCommon, TransactionCase):
    """Every public method of atelier_cti_booking, called over RPC by a
    portal user, a coach and a technical user (like the OBD bridge's) on a
    call they do not own: refused, nothing booked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_cti_booking()
        cls.call = cls._new_call(cls.client)
        cls.coach = new_test_user(
            cls.env, login="ctib_coach", groups="atelier_base.group_coach"
        )
        cls.bridge = technical_user(cls.env, "ctib_bridge")
        cls.start = cls.type._next_free_slots(limit=1)[0][0]

    def calls(self):
        return [
            ("action_atelier_book", ()),
            ("action_atelier_view_bookings", ()),
            ("atelier_booking_slots", ()),
            ("atelier_book_slot", (self.type.id, str(self.start))),
        ]

    def test_every_public_method_is_audited(self):
        defined = {
            (model, method)
            for model, method in public_methods(self.env, "atelier_cti_booking")
            if method not in ORM_OVERRIDES
        }
        self.assertEqual(
            defined, {("atelier.call", method) for method, _args in self.calls()}
        )

    def test_refused_to_portal_coach_technical_users_and_technicians(self):
        # a technician too: the call is not his, and he does not book
        users = (self.data["portal"], self.coach, self.bridge, self.gaetan)
        for user in users:
            for method, args in self.calls():
                with self.subTest(user=user.login, method=method):
                    with self.assertRaises(AccessError):
                        getattr(self.call.with_user(user), method)(*args)
        self.assertFalse(
            self.env["atelier.booking"].search([("partner_id", "=", self.client.id)])
        )
