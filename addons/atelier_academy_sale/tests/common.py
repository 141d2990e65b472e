# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fixtures of the academy sale tests: the academy's own fixtures (courses,
path, packages, coaches, learners), the two products of the addon's data
linked to the packages, orders, Stripe transactions and Stripe webhooks
signed with a local test secret and posted to payment_stripe's real route.

Nothing of Odoo is patched here (not even account_payment's post-processing,
which Odoo's PaymentCommon mocks by default): Stripe's servers are the only
thing that is not real, and the webhook route makes no call to them for the
events used (payment intents of a non-tokenized payment, refunds without
pagination)."""

import hashlib
import hmac
import json
import re
import time

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.atelier_academy.tests.common import AcademyFixtures
from odoo.addons.payment import utils as payment_utils
from odoo.addons.payment.tests.http_common import PaymentHttpCommon
from odoo.addons.payment_stripe.controllers.main import StripeController
from odoo.addons.payment_stripe.tests.common import StripeCommon

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


class AcademySaleCommon(AcademyFixtures, StripeCommon, PaymentHttpCommon):
    # run account_payment's real post-processing: Odoo's payment test helper
    # replaces it with a mock by default
    enable_post_process_patcher = False

    @classmethod
    def setup_main_company(cls, currency_code="EUR"):
        # the packages are priced in euros (the French company's currency)
        return super().setup_main_company(currency_code=currency_code)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_academy(cls._prefix)
        cls.webhook_secret = cls.stripe.stripe_webhook_secret
        cls.product_primo = cls.env.ref("atelier_academy_sale.product_coaching_primo")
        cls.product_garages = cls.env.ref(
            "atelier_academy_sale.product_coaching_garages"
        )
        cls.pricelist = cls.env["product.pricelist"].create(
            {"name": "Euros", "currency_id": cls.currency_euro.id}
        )
        cls.package.product_id = cls.product_primo
        cls.team_package.product_id = cls.product_garages
        cls.sales_manager = new_test_user(
            cls.env,
            login=f"{cls._prefix}_sales",
            groups="sales_team.group_sale_manager,account.group_account_invoice",
        )
        cls.garage = cls.env["res.partner"].create(
            {"name": "Garage des Tests", "is_company": True}
        )
        cls.buyer = new_test_user(
            cls.env,
            login=f"{cls._prefix}_buyer",
            password=f"{cls._prefix}_buyer",
            name="Thomas Acheteur",
            email=f"{cls._prefix}.buyer@garage.example",
            groups="base.group_portal",
        )
        cls.buyer.partner_id.parent_id = cls.garage

    _prefix = "asale"

    # ------------------------------------------------------------------
    # orders and transactions
    # ------------------------------------------------------------------
    @classmethod
    def _order(cls, partner, product=None):
        line = {"product_id": (product or cls.product_primo).id}
        return (
            cls.env["sale.order"]
            .sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "pricelist_id": cls.pricelist.id,
                    "order_line": [Command.create(line)],
                }
            )
        )

    def _stripe_tx(self, order):
        """The transaction the checkout creates for ``order`` with Stripe."""
        return self._create_transaction(
            "direct",
            amount=order.amount_total,
            currency_id=order.currency_id.id,
            partner_id=order.partner_id.id,
            reference=order.name,
            sale_order_ids=[Command.set(order.ids)],
        )

    def _minor(self, amount, currency):
        return payment_utils.to_minor_currency_units(amount, currency)

    # ------------------------------------------------------------------
    # Stripe events, signed like Stripe signs them
    # ------------------------------------------------------------------
    def _intent_event(self, tx, status="succeeded", amount=None, event_type=None):
        event_type = (
            event_type
            or {
                "succeeded": "payment_intent.succeeded",
                "requires_payment_method": "payment_intent.payment_failed",
                "canceled": "payment_intent.canceled",
                "processing": "payment_intent.processing",
            }[status]
        )
        intent = {
            "id": f"pi_3Test{tx.id:08d}",
            "object": "payment_intent",
            "description": tx.reference,
            "status": status,
            "amount": self._minor(
                tx.amount if amount is None else amount, tx.currency_id
            ),
            "currency": tx.currency_id.name.lower(),
            "payment_method": f"pm_1Test{tx.id:08d}",
            "customer": "cus_Test0001",
        }
        if status == "requires_payment_method":
            intent["last_payment_error"] = {"message": "Your card was declined."}
        return {
            "id": f"evt_Test{tx.id:08d}{status[:3]}",
            "object": "event",
            "type": event_type,
            "data": {"object": intent},
        }

    def _refund_object(self, tx, amount, status="succeeded", refund_id=None):
        return {
            "id": refund_id or f"re_Test{tx.id:08d}{int(amount * 100)}",
            "object": "refund",
            "amount": self._minor(amount, tx.currency_id),
            "currency": tx.currency_id.name.lower(),
            "charge": f"ch_Test{tx.id:08d}",
            "payment_intent": f"pi_3Test{tx.id:08d}",
            "status": status,
        }

    def _refunded_event(self, tx, amount, status="succeeded"):
        return {
            "id": f"evt_Test{tx.id:08d}ref",
            "object": "event",
            "type": "charge.refunded",
            "data": {
                "object": {
                    "id": f"ch_Test{tx.id:08d}",
                    "object": "charge",
                    "description": tx.reference,
                    "status": "succeeded",
                    "amount": self._minor(tx.amount, tx.currency_id),
                    "currency": tx.currency_id.name.lower(),
                    "refunds": {
                        "object": "list",
                        "data": [self._refund_object(tx, amount, status)],
                        "has_more": False,
                    },
                }
            },
        }

    def _sign(self, body, timestamp, secret=None):
        payload = f"{timestamp}.{body}".encode()
        return hmac.new(
            (secret or self.webhook_secret).encode(), payload, hashlib.sha256
        ).hexdigest()

    def _signed_delivery(self, event, secret=None, timestamp=None):
        """(body, headers) of one delivery of ``event``, signed as Stripe does."""
        body = json.dumps(event)
        timestamp = int(timestamp or time.time())
        signature = self._sign(body, timestamp, secret=secret)
        return body, {
            "Content-Type": "application/json",
            "Stripe-Signature": f"t={timestamp},v1={signature}",
        }

    def _post_webhook(self, event=None, delivery=None, **kwargs):
        body, headers = delivery or self._signed_delivery(event, **kwargs)
        response = self.url_open(
            self._build_url(StripeController._webhook_url),
            data=body.encode(),
            headers=headers,
        )
        self.env.invalidate_all()
        return response

    def _pay(self, order):
        """Pay ``order`` with Stripe: the webhook, then the post-processing
        that the buyer's status page (or Odoo's payment cron) runs."""
        tx = self._stripe_tx(order)
        response = self._post_webhook(self._intent_event(tx))
        self.assertEqual(response.status_code, 200)
        tx._post_process()
        self.env.invalidate_all()
        return tx

    # ------------------------------------------------------------------
    # portal
    # ------------------------------------------------------------------
    def _csrf(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, response.text[:500])
        match = CSRF_RE.search(response.text)
        self.assertTrue(match, f"no CSRF token on {url}")
        return match.group(1)

    def _enrolments(self, order):
        return (
            self.env["atelier.academy.enrolment"]
            .sudo()
            .search(
                [
                    (
                        "origin",
                        "in",
                        [f"sale.order.line,{line.id}" for line in order.order_line],
                    )
                ]
            )
        )
