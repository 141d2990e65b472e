# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo.tests import tagged

from .common import AcademySaleCommon


@tagged("post_install", "-at_install")
class TestRefund(AcademySaleCommon):
    """A refund (Stripe refund, credit note, cancelled order) revokes the
    access and the certificates; an open refund blocks the certificate."""

    _prefix = "aref"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a one-course path, so that a certificate is quick to earn
        cls.package.path_ids = cls.path_short

    def _certified(self, user):
        """Buy the package with Stripe and earn its certificate."""
        order = self._order(user.partner_id)
        tx = self._pay(order)
        enrolment = self._enrolments(order)
        self.pass_course(user, self.course3)
        self.assertEqual(enrolment.state, "done")
        self.assertEqual(enrolment.certificate_ids.state, "valid")
        return order, tx, enrolment

    def _assert_revoked(self, order, enrolment, reason):
        self.env.invalidate_all()
        purchase = order.atelier_academy_purchase_ids
        self.assertEqual(purchase.state, "refunded")
        self.assertEqual(purchase.refund_state, "done")
        self.assertEqual(enrolment.state, "revoked")
        self.assertIn(reason, enrolment.revoke_reason)
        self.assertEqual(enrolment.certificate_ids.state, "revoked")
        self.assertFalse(
            self.env["slide.channel.partner"].search(
                [
                    ("partner_id", "=", enrolment.partner_id.id),
                    ("channel_id", "=", self.course3["channel"].id),
                ]
            ),
            "the course is closed again",
        )
        self.assertIn(
            f"The package was refunded (order {order.name}).",
            enrolment._atelier_certificate_blockers(),
        )

    def test_stripe_refund_webhook_revokes(self):
        order, tx, enrolment = self._certified(self.learner)
        response = self._post_webhook(self._refunded_event(tx, tx.amount))
        self.assertEqual(response.status_code, 200)
        refund_tx = tx.child_transaction_ids
        self.assertEqual(refund_tx.operation, "refund")
        self.assertEqual(refund_tx.state, "done")
        self._assert_revoked(order, enrolment, "payment refunded")
        # the refund event delivered again changes nothing
        self._post_webhook(self._refunded_event(tx, tx.amount))
        self.assertEqual(len(tx.child_transaction_ids), 1)

    def test_partial_refund_is_a_gesture(self):
        order, tx, enrolment = self._certified(self.learner)
        self._post_webhook(self._refunded_event(tx, 100.0))
        self.assertEqual(tx.child_transaction_ids.state, "done")
        self.assertEqual(order.atelier_academy_purchase_ids.state, "active")
        self.assertEqual(enrolment.state, "done")
        self.assertEqual(enrolment.certificate_ids.state, "valid")

    def test_refund_from_odoo_open_then_confirmed_by_stripe(self):
        """The accountant refunds from Odoo: Stripe answers "pending" (the
        only patched call: the request to Stripe's API), the refund is open
        and blocks the certificate; Stripe's webhook confirms it later."""
        order = self._order(self.learner.partner_id)
        tx = self._pay(order)
        enrolment = self._enrolments(order)
        refund_object = self._refund_object(tx, tx.amount, status="pending")
        with patch(
            "odoo.addons.payment.models.payment_provider.PaymentProvider._send_api_request",
            return_value=refund_object,
        ) as stripe_api:
            tx.with_user(self.sales_manager).sudo().action_refund()
        self.assertEqual(stripe_api.call_args.args[:2], ("POST", "refunds"))
        refund_tx = tx.child_transaction_ids
        self.assertEqual(refund_tx.state, "pending")
        self.assertEqual(enrolment.state, "active", "access kept while pending")
        self.assertEqual(order.atelier_academy_purchase_ids.refund_state, "open")
        self.assertIn(
            f"A refund is open on order {order.name}.",
            enrolment._atelier_certificate_blockers(),
        )
        self.pass_course(self.learner, self.course3)
        self.assertFalse(enrolment.certificate_ids, "no certificate while open")
        self.assertEqual(enrolment.state, "active")
        # Stripe tells the refund went through
        event = {
            "id": "evt_TestRefundUpdated",
            "object": "event",
            "type": "charge.refund.updated",
            "data": {"object": dict(refund_object, status="succeeded")},
        }
        self.assertEqual(self._post_webhook(event).status_code, 200)
        self.assertEqual(refund_tx.state, "done")
        self.assertEqual(enrolment.state, "revoked")
        self.assertEqual(order.atelier_academy_purchase_ids.state, "refunded")

    def test_credit_note_revokes_when_posted(self):
        order, _tx, enrolment = self._certified(self.learner)
        Move = self.env["account.move"].with_user(self.sales_manager)
        invoice = Move.browse(
            order.with_user(self.sales_manager)._create_invoices().ids
        )
        invoice.action_post()
        reversal = (
            self.env["account.move.reversal"]
            .with_user(self.sales_manager)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Désistement"})
        )
        credit_note = Move.browse(reversal.refund_moves()["res_id"])
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.state, "draft")
        # a draft credit note is an open refund: access kept, certificate blocked
        self.assertEqual(enrolment.state, "done")
        self.assertEqual(order.atelier_academy_purchase_ids.refund_state, "open")
        self.assertIn(
            f"A refund is open on order {order.name}.",
            enrolment._atelier_certificate_blockers(),
        )
        credit_note.action_post()
        self._assert_revoked(order, enrolment, "credit note")

    def test_order_cancelled_after_payment_revokes(self):
        order, _tx, enrolment = self._certified(self.learner)
        order.with_user(self.sales_manager).action_cancel()
        self.assertEqual(order.state, "cancel")
        self._assert_revoked(order, enrolment, "cancelled")
