# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from ..tools.identity import email_key
from .common import AtelierBetaCommon

DEVICE_A = "6f1c1a52-8d7e-4a44-9c1e-0d0f6b9f0a01"
DEVICE_B = "0b8e7f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
DEVICE_C = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"


@tagged("post_install", "-at_install")
class TestReferral(AtelierBetaCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_beta("ref")
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("atelier_beta.places_per_referral", "10")
        params.set_param("atelier_beta.karma_per_referral", "20")

    def _referrer(self, **kw):
        kw.setdefault("ip", "198.51.100.10")
        kw.setdefault("device", DEVICE_A)
        return self._signup("Alice Parrain", "alice.parrain@example.com", **kw)

    def test_email_keys(self):
        self.assertEqual(
            email_key("Jean.Dupont+beta@GMail.com"), "jeandupont@gmail.com"
        )
        self.assertEqual(
            email_key("j.e.a.n.dupont@googlemail.com"), "jeandupont@gmail.com"
        )
        self.assertEqual(
            email_key("jean.dupont+x@outlook.fr"), "jean.dupont@outlook.fr"
        )
        # elsewhere the address is kept as it is (lower case)
        self.assertEqual(
            email_key("Jean.Dupont+x@atelier.example.com"),
            "jean.dupont+x@atelier.example.com",
        )
        self.assertIsNone(email_key("not-an-address"))

    def test_credit_only_after_confirmation_and_first_use(self):
        alice = self._referrer()
        rank_before = alice.rank_score
        bob = self._signup(
            "Bob Filleul",
            "bob.filleul@example.com",
            confirm=False,
            referrer=alice,
            ip="198.51.100.20",
            device=DEVICE_B,
        )
        referral = self.Referral.search([("referred_id", "=", bob.id)])
        self.assertEqual((referral.referrer_id, referral.state), (alice, "pending"))
        self.assertEqual(bob.referred_by_id, alice)
        self.assertEqual(bob.origin, "referral")
        # confirmed: still nothing
        self._confirm(bob, ip="198.51.100.21")
        self.assertEqual(
            (bob.state, referral.state, alice.referral_credits),
            ("waiting", "pending", 0),
        )
        # in the beta but not used yet: nothing
        self._tester(bob, activated=False)
        self.assertEqual((referral.state, alice.referral_credits), ("pending", 0))
        # the first real use: credit, as queue places while Alice waits
        self.Signup._atelier_record_use(bob.partner_id, fields.Datetime.now())
        self.assertEqual((referral.state, referral.reward), ("credited", "places"))
        self.assertEqual(alice.referral_credits, 1)
        self.assertEqual(alice.rank_score, rank_before - 10)
        # a second use credits nothing more
        self.Signup._atelier_record_use(
            bob.partner_id, fields.Datetime.now() + timedelta(days=1)
        )
        self.assertEqual(alice.referral_credits, 1)

    def test_never_confirmed_never_credits(self):
        alice = self._referrer()
        carl = self._signup(
            "Carl Jamais",
            "carl.jamais@example.com",
            confirm=False,
            referrer=alice,
            ip="198.51.100.30",
            device=DEVICE_C,
        )
        referral = self.Referral.search([("referred_id", "=", carl.id)])
        with freeze_time(fields.Datetime.now() + timedelta(days=3)):
            self.Signup._atelier_cron_expire_unconfirmed()
        self.assertEqual((carl.state, referral.state), ("expired", "lapsed"))
        self.assertFalse(carl.email)
        self.assertEqual(alice.referral_credits, 0)

    def test_karma_and_badge_for_a_tester_referrer(self):
        alice = self._tester(self._referrer())
        bob = self._signup(
            "Bob Filleul", referrer=alice, ip="198.51.100.40", device=DEVICE_B
        )
        self._tester(bob)
        referral = self.Referral.search([("referred_id", "=", bob.id)])
        self.assertEqual((referral.state, referral.reward), ("credited", "karma"))
        self.assertEqual(alice.user_id.karma, 20)
        badges = self.env["gamification.badge.user"].search(
            [("user_id", "=", alice.user_id.id)]
        )
        self.assertIn(
            self.env.ref("atelier_beta.badge_first_referral"), badges.badge_id
        )

    def test_self_referral_by_the_same_mailbox(self):
        alice = self._signup(
            "Alice Gmail", "alice.martin@gmail.com", ip="198.51.100.50", device=DEVICE_A
        )
        status, same = self._register(
            "Alice Bis",
            "AliceMartin+beta@gmail.com",
            referrer=alice,
            ip="192.0.2.99",
            device=DEVICE_B,
        )
        self.assertEqual((status, same), ("known", alice))
        self.assertEqual(self.Signup.search_count([("name", "=", "Alice Bis")]), 0)
        referral = self.Referral.search([("referrer_id", "=", alice.id)])
        self.assertEqual(
            (referral.referred_id, referral.state, referral.same_email),
            (alice, "rejected", True),
        )
        self.assertEqual(alice.referral_credits, 0)

    def test_self_referral_by_phone_through_the_phone_index(self):
        alice = self._referrer()
        # her number is known on her contact only, in national format
        alice.partner_id.phone = "06 12 34 56 78"
        bob = self._signup(
            "Bob Portable",
            referrer=alice,
            phone="+33 6 12 34 56 78",
            ip="192.0.2.60",
            device=DEVICE_B,
        )
        referral = self.Referral.search([("referred_id", "=", bob.id)])
        self.assertEqual((referral.state, referral.same_phone), ("rejected", True))
        # the same number typed on both forms
        carol = self._signup(
            "Carol Autre",
            referrer=bob,
            phone="0033612345678",
            ip="192.0.2.61",
            device=DEVICE_C,
        )
        self.assertTrue(
            self.Referral.search([("referred_id", "=", carol.id)]).same_phone
        )

    def test_self_referral_by_device(self):
        alice = self._referrer()
        bob = self._signup(
            "Bob Appareil", referrer=alice, ip="192.0.2.70", device=DEVICE_A
        )
        referral = self.Referral.search([("referred_id", "=", bob.id)])
        self.assertEqual((referral.state, referral.same_device), ("rejected", True))
        self._tester(bob)
        self.assertEqual((referral.state, alice.referral_credits), ("rejected", 0))

    def test_same_ip_goes_to_review(self):
        alice = self._referrer()
        bob = self._signup(
            "Bob Voisin", referrer=alice, ip="198.51.100.10", device=DEVICE_B
        )
        referral = self.Referral.search([("referred_id", "=", bob.id)])
        self.assertEqual((referral.state, referral.same_ip), ("pending", True))
        self._tester(bob)
        self.assertEqual(referral.state, "review")
        self.assertEqual(alice.referral_credits, 0)
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "atelier.beta.referral"), ("res_id", "=", referral.id)]
        )
        self.assertEqual(activity.user_id, self.manager)
        with self.assertRaises(AccessError):
            referral.with_user(self.team).action_approve()
        referral.with_user(self.manager).action_approve()
        self.assertEqual(
            (referral.state, referral.reviewed_by_id), ("credited", self.manager)
        )
        self.assertEqual(alice.referral_credits, 1)

    def test_device_shared_between_two_friends_goes_to_review_and_can_be_rejected(self):
        alice = self._referrer()
        bob = self._signup(
            "Bob Ferme", referrer=alice, ip="192.0.2.80", device=DEVICE_B
        )
        carl = self._signup(
            "Carl Ferme", referrer=alice, ip="192.0.2.81", device=DEVICE_B
        )
        first = self.Referral.search([("referred_id", "=", bob.id)])
        second = self.Referral.search([("referred_id", "=", carl.id)])
        self.assertTrue(second.shared_device)
        self._tester(carl)
        self.assertEqual(second.state, "review")
        second.with_user(self.manager).action_reject()
        self.assertEqual(second.state, "rejected")
        self.assertEqual(alice.referral_credits, 0)
        self.assertEqual(first.state, "pending")

    def test_unknown_or_erased_code_refers_nobody(self):
        alice = self._referrer()
        code = alice.referral_code
        alice._atelier_erase("backoffice")
        self.assertFalse(self.Signup.search([("referral_code", "=", code)]))
