# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from odoo.addons.atelier_helpdesk.tests.common import outsiders, public_methods


@tagged("post_install", "-at_install")
class TestPublicMethodsAccess(TransactionCase):
    """The RPC-callable methods of this addon refuse a portal client, a
    coach and the OBD bridge's user on a call that is not theirs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = outsiders(cls.env, "ctihdacc")
        line = cls.env["atelier.cti.line"].create(
            {"name": "Accueil", "code": "acc_hd", "provider": "asterisk"}
        )
        caller = cls.env["res.partner"].create({"name": "Garage Dupont"})
        cls.call = cls.env["atelier.call"].create(
            {
                "line_id": line.id,
                "provider": "asterisk",
                "provider_call_id": "acc-hd-1",
                "caller_number": "+33478123456",
                "partner_id": caller.id,
            }
        )

    def test_public_methods_refuse_outsiders(self):
        calls = {
            "action_new_ticket": lambda call: call.action_new_ticket(),
            "action_view_tickets": lambda call: call.action_view_tickets(),
        }
        self.assertEqual(
            public_methods(self.env, "atelier_cti_helpdesk"),
            {("atelier.call", name) for name in calls},
        )
        for role, user in self.users.items():
            for name, call in calls.items():
                with self.subTest(role=role, method=name):
                    with self.assertRaises(AccessError):
                        call(self.call.with_user(user))
