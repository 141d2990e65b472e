# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import inspect

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.atelier_academy_sale import models as addon_models

from .common import AcademySaleCommon

# the public (RPC-callable) methods this addon adds, per model
PUBLIC_METHODS = {
    "atelier.academy.purchase": {
        "action_enrol_buyer",
        "action_revoke",
        "action_view_enrolments",
    },
    "atelier.academy.package": {"action_view_purchases"},
    "sale.order": {"action_view_atelier_academy_purchases"},
}


@tagged("post_install", "-at_install")
class TestSecurity(AcademySaleCommon):
    _prefix = "asec"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._order(cls.learner.partner_id)
        cls.order.action_confirm()
        cls.purchase = cls.order.atelier_academy_purchase_ids
        cls.enrolment = cls.purchase.enrolment_ids
        cls.other_order = cls._order(cls.learner2.partner_id)
        cls.other_order.action_confirm()
        cls.other_purchase = cls.other_order.atelier_academy_purchase_ids

    def test_every_public_method_is_listed(self):
        """A new public method must join PUBLIC_METHODS (and its tests)."""
        found = set()
        for module in vars(addon_models).values():
            if not inspect.ismodule(module):
                continue
            for klass in vars(module).values():
                if inspect.isclass(klass) and hasattr(klass, "_inherit"):
                    found |= {
                        name
                        for name, member in vars(klass).items()
                        if inspect.isfunction(member) and not name.startswith("_")
                    }
        self.assertEqual(found, set().union(*PUBLIC_METHODS.values()))

    def test_learner_sees_only_their_own(self):
        learner = self.learner
        self.assertEqual(
            self.env["sale.order"].with_user(learner).search([]), self.order
        )
        with self.assertRaises(AccessError):
            self.other_order.with_user(learner).check_access("read")
        Enrolment = self.env["atelier.academy.enrolment"].with_user(learner)
        self.assertEqual(Enrolment.search([]), self.enrolment)
        Purchase = self.env["atelier.academy.purchase"].with_user(learner)
        self.assertEqual(Purchase.search([]), self.purchase)
        with self.assertRaises(AccessError):
            self.other_purchase.with_user(learner).check_access("read")
        with self.assertRaises(AccessError):
            self.purchase.with_user(learner).write({"coach_id": self.coach.id})

    def test_public_methods_refuse_other_users(self):
        # learner 2 calls every method on learner 1's records
        records = {
            "atelier.academy.purchase": self.purchase,
            "atelier.academy.package": self.package,
            "sale.order": self.order,
        }
        for model, methods in PUBLIC_METHODS.items():
            for method in methods:
                with self.subTest(model=model, method=method):
                    with self.assertRaises(AccessError):
                        getattr(records[model].with_user(self.learner2), method)()
        # on their own purchase, a learner still manages nothing
        for method in ("action_enrol_buyer", "action_revoke"):
            with self.assertRaises(AccessError):
                getattr(self.purchase.with_user(self.learner), method)()
        # the coach reads the purchases they coach but manages none
        coach = self.purchase.coach_id
        self.purchase.with_user(coach).check_access("read")
        for method in ("action_enrol_buyer", "action_revoke"):
            with self.assertRaises(AccessError):
                getattr(self.purchase.with_user(coach), method)()
        self.assertEqual(self.enrolment.state, "active")
        # the academy manager may
        self.purchase.with_user(self.manager).action_revoke()
        self.assertEqual(self.enrolment.state, "revoked")

    def test_invitation_checks_the_buyer(self):
        with self.assertRaises(AccessError):
            self.purchase.with_user(self.learner2)._atelier_invite("X", "x@example.com")
