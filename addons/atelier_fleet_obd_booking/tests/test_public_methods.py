# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.atelier_booking.tests.common import setup_booking_data
from odoo.addons.atelier_fleet_obd.tests.common import (
    public_methods,
    setup_diagnosed_vehicle,
)


@tagged("post_install", "-at_install")
class TestPublicMethods(TransactionCase):
    """Every public method of this glue, called by a portal client on another
    client's code, a coach and the bridge's user: refused."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        data = setup_booking_data(cls.env, prefix="obdpub")
        data["type"].atelier_repair_system = "all"
        _vehicle, cls.session, cls.line = setup_diagnosed_vehicle(
            cls.env, "obdpub", data["client"], "PU-111-PU", "P0420", {"title": "x"}
        )
        coach = new_test_user(
            cls.env, login="obdpub_coach", groups="atelier_base.group_coach"
        )
        bridge = cls.env["res.users"].create(
            {
                "name": "obdpub bridge",
                "login": "obdpub_bridge",
                "group_ids": [
                    Command.set([cls.env.ref("atelier_fleet_obd.group_obd_bridge").id])
                ],
            }
        )
        cls.users = (data["portal"], coach, bridge)

    def calls(self):
        return {
            ("atelier.obd.session.dtc", "action_atelier_book_repair"): self.line,
            ("atelier.obd.session.dtc", "action_atelier_view_bookings"): self.line,
            ("atelier.obd.session", "action_atelier_book_repair"): self.session,
        }

    def test_every_public_method_is_listed(self):
        self.assertEqual(
            public_methods(self.env, ("atelier_fleet_obd_booking",)), set(self.calls())
        )

    def test_every_public_method_refuses_who_it_is_not_for(self):
        for (model, method), record in self.calls().items():
            for user in self.users:
                with (
                    self.subTest(method=f"{model}.{method}", user=user.login),
                    self.assertRaises(AccessError),
                ):
                    getattr(record.with_user(user), method)()
