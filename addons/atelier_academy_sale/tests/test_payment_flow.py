# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import time
from urllib.parse import unquote

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import AcademySaleCommon


@tagged("post_install", "-at_install")
class TestPaymentFlow(AcademySaleCommon):
    """Stripe webhooks, signed with the test secret, through the real route."""

    _prefix = "apay"

    def test_paid_enrols_once_even_when_the_webhook_is_replayed(self):
        order = self._order(self.learner.partner_id)
        self.assertEqual(order.amount_total, 890.0)
        self.assertEqual(order.currency_id.name, "EUR")
        tx = self._stripe_tx(order)
        delivery = self._signed_delivery(self._intent_event(tx))
        self.assertEqual(self._post_webhook(delivery=delivery).status_code, 200)
        self.assertEqual(tx.state, "done")
        # the buyer's status page (or the payment cron) post-processes it
        tx._post_process()
        self.assertEqual(order.state, "sale")
        purchase = order.atelier_academy_purchase_ids
        self.assertEqual(purchase.state, "active")
        enrolment = self._enrolments(order)
        self.assertEqual(enrolment.partner_id, self.learner.partner_id)
        self.assertEqual(enrolment.atelier_purchase_id, purchase)
        self.assertEqual(enrolment.path_id, self.path)
        self.assertEqual(enrolment.hours_sold, self.package.coaching_hours)
        self.assertEqual(enrolment.hours_left, self.package.coaching_hours)
        self.assertIn(enrolment.coach_id, self.package.coach_ids)
        self.assertEqual(purchase.coach_id, enrolment.coach_id)
        # the first course of the path opened
        self.assertTrue(
            self.env["slide.channel.partner"].search(
                [
                    ("partner_id", "=", self.learner.partner_id.id),
                    ("channel_id", "=", self.course1["channel"].id),
                ]
            )
        )
        welcome = self.env["mail.mail"].search(
            [
                ("model", "=", "atelier.academy.enrolment"),
                ("res_id", "=", enrolment.id),
            ]
        )
        self.assertEqual(len(welcome), 1)
        self.assertIn("/my/academy", unquote(welcome.body_html))

        # Stripe delivers the same event again, and a new delivery of it
        for again in (delivery, self._signed_delivery(self._intent_event(tx))):
            self.assertEqual(self._post_webhook(delivery=again).status_code, 200)
            tx._post_process()
        self.assertEqual(self._enrolments(order), enrolment)
        self.assertEqual(order.atelier_academy_purchase_ids, purchase)
        self.assertEqual(
            self.env["atelier.academy.enrolment"]
            .sudo()
            .search_count([("partner_id", "=", self.learner.partner_id.id)]),
            1,
        )
        self.assertEqual(
            self.env["mail.mail"].search_count(
                [
                    ("model", "=", "atelier.academy.enrolment"),
                    ("res_id", "=", enrolment.id),
                ]
            ),
            1,
            "one welcome e-mail",
        )

    def test_failed_and_cancelled_payments_enrol_nobody(self):
        failed_order = self._order(self.learner.partner_id)
        cancelled_order = self._order(self.learner2.partner_id)
        failed = self._stripe_tx(failed_order)
        cancelled = self._stripe_tx(cancelled_order)
        self._post_webhook(self._intent_event(failed, "requires_payment_method"))
        self._post_webhook(self._intent_event(cancelled, "canceled"))
        self.assertEqual(failed.state, "error")
        self.assertEqual(cancelled.state, "cancel")
        (failed | cancelled)._post_process()
        for order in failed_order | cancelled_order:
            self.assertIn(order.state, ("draft", "sent"))
            self.assertFalse(order.atelier_academy_purchase_ids)
            self.assertFalse(self._enrolments(order))
        # a "processing" payment is not paid yet either
        pending_order = self._order(self.outsider.partner_id)
        pending = self._stripe_tx(pending_order)
        self._post_webhook(self._intent_event(pending, "processing"))
        self.assertEqual(pending.state, "pending")
        pending._post_process()
        self.assertFalse(self._enrolments(pending_order))

    def test_forged_or_tampered_webhooks_enrol_nobody(self):
        order = self._order(self.learner.partner_id)
        tx = self._stripe_tx(order)
        event = self._intent_event(tx)
        with mute_logger("odoo.addons.payment_stripe.controllers.main"):
            # signed with another secret
            forged = self._post_webhook(event, secret="whsec_not_the_right_one")
            # an old delivery replayed by a third party (15 minutes)
            old = self._post_webhook(event, timestamp=time.time() - 900)
        self.assertEqual(forged.status_code, 403)
        self.assertEqual(old.status_code, 403)
        self.assertEqual(tx.state, "draft")
        # a correctly signed event for a smaller amount than the order
        with mute_logger("odoo.addons.payment.models.payment_transaction"):
            self._post_webhook(self._intent_event(tx, amount=1.0))
        self.assertEqual(tx.state, "error")
        tx._post_process()
        self.assertEqual(order.state, "draft")
        self.assertFalse(self._enrolments(order))

    def test_confirmed_by_a_salesperson_enrols_too(self):
        """An order confirmed in the back office (paid by transfer) enrols."""
        order = self._order(self.learner2.partner_id)
        order.with_user(self.sales_manager).action_confirm()
        enrolment = self._enrolments(order)
        self.assertEqual(enrolment.partner_id, self.learner2.partner_id)
        self.assertEqual(order.atelier_academy_purchase_ids.state, "active")

    def test_placement_path_is_the_one_enrolled(self):
        """The path the placement test recommended, when the package has it."""
        self.package.path_ids |= self.path_short
        self.env["atelier.academy.placement.result"].sudo().create(
            {
                "user_input_id": self.env["survey.user_input"]
                .sudo()
                .create(
                    {
                        "survey_id": self.course1["survey"].id,
                        "partner_id": self.learner.partner_id.id,
                    }
                )
                .id,
                "partner_id": self.learner.partner_id.id,
                "path_id": self.path_short.id,
                "package_id": self.package.id,
                "state": "offered",
            }
        )
        order = self._order(self.learner.partner_id)
        self._pay(order)
        self.assertEqual(self._enrolments(order).path_id, self.path_short)

    def test_guest_buyer_gets_an_account(self):
        """A visitor who paid without an account gets a portal user and a
        sign-up link to their dashboard."""
        guest = self.env["res.partner"].create(
            {"name": "Invitée Sans Compte", "email": "guest.buyer@example.com"}
        )
        order = self._order(guest)
        self._pay(order)
        enrolment = self._enrolments(order)
        self.assertEqual(enrolment.partner_id, guest)
        user = guest.user_ids
        self.assertTrue(user._is_portal())
        self.assertEqual(user.login, "guest.buyer@example.com")
        mail = self.env["mail.mail"].search(
            [("model", "=", "atelier.academy.enrolment"), ("res_id", "=", enrolment.id)]
        )
        self.assertIn("/web/signup?", mail.body_html)
        self.assertIn("redirect=%2Fmy%2Facademy", mail.body_html)

    def test_package_without_path_waits_for_the_desk(self):
        """A package that cannot enrol does not break the payment: the
        purchase waits, the salesperson gets an activity, then enrols."""
        self.package.path_ids = False
        order = self._order(self.learner.partner_id)
        with mute_logger(
            "odoo.addons.atelier_academy_sale.models.atelier_academy_purchase"
        ):
            self._pay(order)
        self.assertEqual(order.state, "sale")
        purchase = order.atelier_academy_purchase_ids
        self.assertEqual(purchase.state, "pending")
        self.assertIn("contains no learning path", purchase.error)
        self.assertTrue(purchase.activity_ids)
        self.assertFalse(self._enrolments(order))
        self.package.path_ids = self.path
        purchase.with_user(self.manager).action_enrol_buyer()
        self.assertEqual(purchase.state, "active")
        self.assertEqual(self._enrolments(order).partner_id, self.learner.partner_id)

    def test_coach_from_the_settings(self):
        """Least busy coach of the package by default; the default coach of
        the settings in the fixed mode, or when the package lists none."""
        settings = self.env["res.config.settings"].create(
            {
                "atelier_academy_coach_assignment": "fixed",
                "atelier_academy_default_coach_id": self.coach2.id,
            }
        )
        settings.execute()
        order = self._order(self.learner.partner_id)
        order.action_confirm()
        self.assertEqual(order.atelier_academy_purchase_ids.coach_id, self.coach2)
        self.assertEqual(self._enrolments(order).coach_id, self.coach2)
        settings.atelier_academy_coach_assignment = "least_loaded"
        settings.execute()
        self.package.coach_ids = False
        other = self._order(self.learner2.partner_id)
        other.action_confirm()
        self.assertEqual(self._enrolments(other).coach_id, self.coach2)
