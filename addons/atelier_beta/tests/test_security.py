# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from odoo.addons.atelier_beta import models as beta_models
from odoo.addons.atelier_beta import wizards as beta_wizards
from odoo.addons.atelier_crm.tests.common import public_method_names

from .common import AtelierBetaCommon

# ORM overrides: Odoo checks the rights before them
ORM = {"create", "write", "unlink", "copy_data", "default_get", "set_values"}
# every public method the addon adds, with how it checks its caller
PUBLIC = {
    "action_accept": "beta team (_atelier_check_team)",
    "action_approve": "beta managers (_atelier_check_manager)",
    "action_decline": "beta team (_atelier_check_team)",
    "action_done_follow_up": "beta managers (_atelier_check_manager)",
    "action_draw": "beta managers (_atelier_check_manager)",
    "action_erase": "beta managers (_atelier_check_manager)",
    "action_merge": "beta team (_atelier_check_team)",
    "action_open_merge": "beta team (_atelier_check_team)",
    "action_reject": "beta managers (_atelier_check_manager)",
    "action_send": "beta managers (_atelier_check_manager)",
    "action_view_invitations": "an action on records the caller reads (ACL: beta team)",
    "atelier_dashboard": "beta team (_atelier_check_team)",
}


@tagged("post_install", "-at_install")
class TestSecurity(AtelierBetaCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_beta("sec")
        cls.tester = cls._tester(cls._signup("Tess Portail", ip="192.0.2.201"))
        cls.other = cls._tester(cls._signup("Oscar Autre", ip="192.0.2.202"))
        cls.feedback = cls.Feedback._atelier_post(
            cls.other, {"kind": "bug", "name": "Bogue d'Oscar", "description": "Privé."}
        )
        cls.batch = cls.Batch.sudo().create({"name": "Sécurité", "size": 3})

    def test_public_methods_are_the_reviewed_ones(self):
        found = public_method_names((beta_models, beta_wizards), ORM)
        self.assertEqual(
            found, set(PUBLIC), "review the rights check of a new public method"
        )

    def test_testers_and_employees_cannot_run_the_beta(self):
        portal = self.tester.user_id
        referral = self.Referral.sudo().create(
            {
                "referrer_id": self.other.id,
                "referred_id": self.tester.id,
                "state": "review",
            }
        )
        nps = (
            self.env["atelier.beta.nps"]
            .sudo()
            .create({"signup_id": self.other.id, "period": "d14"})
        )
        calls = [
            lambda user: self.feedback.with_user(user).action_accept(),
            lambda user: self.feedback.with_user(user).action_decline(),
            lambda user: self.feedback.with_user(user).action_open_merge(),
            lambda user: self.batch.with_user(user).action_draw(),
            lambda user: self.batch.with_user(user).action_send(),
            lambda user: referral.with_user(user).action_approve(),
            lambda user: referral.with_user(user).action_reject(),
            lambda user: self.other.with_user(user).action_erase(),
            lambda user: nps.with_user(user).action_done_follow_up(),
            lambda user: (
                self.env["atelier.beta.dashboard"].with_user(user).atelier_dashboard()
            ),
        ]
        for user in (portal, self.employee):
            for index, call in enumerate(calls):
                with (
                    self.subTest(user=user.login, call=index),
                    self.assertRaises(AccessError),
                ):
                    call(user)
        # the team triages, only managers run batches, referrals and erasures
        for index in (4, 5, 6, 7, 8):
            with self.subTest(team=index), self.assertRaises(AccessError):
                calls[index](self.team)
        self.assertEqual(self.feedback.state, "new")
        self.assertEqual(referral.state, "review")
        self.assertEqual(self.other.state, "tester")

    def test_a_tester_reads_their_own_records_only(self):
        env = self.env(user=self.tester.user_id)
        self.assertEqual(env["atelier.beta.signup"].search([]), self.tester)
        with self.assertRaises(AccessError):
            self.other.with_user(self.tester.user_id).read(["name"])
        with self.assertRaises(AccessError):
            self.feedback.with_user(self.tester.user_id).read(["name"])
        with self.assertRaises(AccessError):
            self.tester.with_user(self.tester.user_id).write({"referral_credits": 99})
        with self.assertRaises(AccessError):
            self.tester.with_user(self.tester.user_id).read(["device_id"])
        self.assertFalse(env["atelier.beta.batch"].has_access("read"))
        self.assertFalse(env["atelier.beta.feedback"].has_access("create"))
        published = self.env["atelier.beta.roadmap.item"].create(
            {"name": "Public", "is_published": True}
        )
        hidden = self.env["atelier.beta.roadmap.item"].create({"name": "Interne"})
        self.assertEqual(
            env["atelier.beta.roadmap.item"].search(
                [("id", "in", (published | hidden).ids)]
            ),
            published,
        )

    def test_team_sees_no_fraud_signals_nor_secrets(self):
        with self.assertRaises(AccessError):
            self.tester.with_user(self.team).read(["signup_ip"])
        with self.assertRaises(AccessError):
            self.tester.with_user(self.team).read(["status_url"])
        self.assertTrue(self.tester.with_user(self.manager).read(["signup_ip"]))
