# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from odoo.addons.atelier_helpdesk.tests.common import outsiders, public_methods

from .common import setup_vehicle_with_codes


@tagged("post_install", "-at_install")
class TestPublicMethodsAccess(TransactionCase):
    """The RPC-callable methods of this addon refuse a portal client, a
    coach and the OBD bridge's user on a vehicle and a trouble code that are
    not theirs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.data = setup_vehicle_with_codes(cls.env, "obdhdacc")
        cls.users = outsiders(cls.env, "obdhdacc")

    def test_public_methods_refuse_outsiders(self):
        vehicle, line = self.data["vehicle"], self.data["misfire_line"]
        owner = self.data["owner"]
        calls = {
            ("atelier.obd.session.dtc", "action_atelier_new_ticket"): lambda u: (
                line.with_user(u).action_atelier_new_ticket()
            ),
            ("atelier.obd.session.dtc", "action_atelier_view_tickets"): lambda u: (
                line.with_user(u).action_atelier_view_tickets()
            ),
            ("fleet.vehicle", "action_atelier_new_ticket"): lambda u: vehicle.with_user(
                u
            ).action_atelier_new_ticket(),
            ("fleet.vehicle", "action_atelier_view_tickets"): lambda u: (
                vehicle.with_user(u).action_atelier_view_tickets()
            ),
            ("helpdesk.ticket", "create"): lambda u: (
                self.env["helpdesk.ticket"]
                .with_user(u)
                .create(
                    {
                        "name": "x",
                        "description": "<p>x</p>",
                        "atelier_obd_dtc_id": line.id,
                        "partner_id": owner.id,
                    }
                )
            ),
        }
        self.assertEqual(
            public_methods(self.env, "atelier_fleet_obd_helpdesk"),
            set(calls) | {("helpdesk.ticket", "default_get")},
        )
        for role, user in self.users.items():
            for key, call in calls.items():
                with self.subTest(role=role, method=key):
                    with self.assertRaises(AccessError):
                        call(user)
            # default values never show another client's vehicle
            values = (
                self.env["helpdesk.ticket"]
                .with_user(user)
                .with_context(default_partner_id=owner.id)
                .default_get(["atelier_vehicle_id"])
            )
            self.assertFalse(values.get("atelier_vehicle_id"), role)
