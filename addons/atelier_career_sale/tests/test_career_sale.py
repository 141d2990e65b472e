# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCareerSale(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.pro = cls.env.ref("atelier_career.plan_pro")
        cls.starter = cls.env.ref("atelier_career.plan_starter")
        cls.learner = new_test_user(
            cls.env,
            login="sale_learner",
            name="Inès Mercier",
            groups="base.group_portal",
        )
        cls.garage = cls.env["res.partner"].create(
            {"name": "Garage du Rhône", "is_company": True}
        )
        cls.boss = new_test_user(
            cls.env, login="sale_boss", name="Marc Chef", groups="base.group_portal"
        )
        cls.boss.partner_id.parent_id = cls.garage
        cls.no_account = cls.env["res.partner"].create({"name": "Sans Compte"})

    def order(self, partner, plan, qty=1):
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    fields.Command.create(
                        {"product_id": plan.product_id.id, "product_uom_qty": qty}
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    def subscriptions(self, order):
        return (
            self.env["atelier.career.subscription"]
            .with_context(active_test=False)
            .search([("sale_line_id", "in", order.order_line.ids)])
        )

    def test_plans_are_products(self):
        self.assertEqual(self.pro.product_id.type, "service")
        self.assertTrue(self.starter.product_id.sale_ok)

    def test_a_learner_buys_three_months_of_pro(self):
        self.assertEqual(self.learner._atelier_career_plan()[0], self.starter)
        order = self.order(self.learner.partner_id, self.pro, qty=3)
        subscription = self.subscriptions(order)
        self.assertEqual(len(subscription), 1)
        self.assertEqual(subscription.holder, "learner")
        self.assertEqual(subscription.user_id, self.learner)
        today = fields.Date.context_today(subscription)
        self.assertEqual(
            subscription.date_end, today + relativedelta(months=3, days=-1)
        )
        self.assertEqual(self.learner._atelier_career_plan(), (self.pro, subscription))
        # confirming the lines again opens nothing more
        Subscription = self.env["atelier.career.subscription"]
        self.assertFalse(Subscription._from_order_lines(order.order_line))
        # a cancelled order closes it: back to the default plan
        order._action_cancel()
        self.assertFalse(subscription.active)
        self.assertEqual(self.learner._atelier_career_plan()[0], self.starter)

    def test_a_company_contact_buys_for_the_team(self):
        order = self.order(self.boss.partner_id, self.pro)
        subscription = self.subscriptions(order)
        self.assertEqual(subscription.holder, "company")
        self.assertEqual(subscription.company_partner_id, self.garage)
        self.assertEqual(subscription.manager_user_id, self.boss)
        self.assertIn(self.boss, subscription.member_ids)
        report = self.env["atelier.career.session"]._team_report(self.boss)
        self.assertTrue(report["team_allowed"], "the buyer gets the manager space")

    def test_a_buyer_without_account_gets_a_note(self):
        order = self.order(self.no_account, self.pro)
        self.assertFalse(self.subscriptions(order))
        notes = order.message_ids.filtered(lambda m: "Sans Compte" in (m.body or ""))
        self.assertTrue(notes, "the order says why no subscription was opened")

    def test_other_products_open_nothing(self):
        product = self.env["product.product"].create(
            {"name": "Vidange", "type": "service"}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.learner.partner_id.id,
                "order_line": [fields.Command.create({"product_id": product.id})],
            }
        )
        order.action_confirm()
        self.assertFalse(
            self.env["atelier.career.subscription"].search(
                [("sale_line_id", "in", order.order_line.ids)]
            )
        )
