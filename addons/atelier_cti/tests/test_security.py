# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.atelier_cti.tools.events import parse_body

from .common import AtelierCtiCommon, dumps, event


@tagged("post_install", "-at_install")
class TestSecurity(AtelierCtiCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_cti()
        Call = cls.env["atelier.call"].sudo()

        def process(payload):
            answer = Call._cti_process_event(cls.line, parse_body(dumps(payload)))
            return Call.browse(answer["call_id"])

        cls.call_claire = process(event("ringing", "s-1"))
        cls.call_gaetan = process(event("answered", "s-2", agent="gaetan_cti"))
        cls.line_gaetan = cls.line.copy(
            {"code": "workshop", "user_ids": [(6, 0, cls.gaetan.ids)]}
        )
        cls.call_routed = Call._cti_process_event(
            cls.line_gaetan, parse_body(dumps(event("ringing", "s-3")))
        )["call_id"]

    def test_assistant_sees_all_calls(self):
        calls = self.env["atelier.call"].with_user(self.claire).search([])
        self.assertEqual(len(calls), 3)

    def test_technician_sees_only_his_calls(self):
        calls = self.env["atelier.call"].with_user(self.gaetan).search([])
        self.assertEqual(
            sorted(calls.ids), sorted([self.call_gaetan.id, self.call_routed])
        )
        with self.assertRaises(AccessError):
            self.call_claire.with_user(self.gaetan).read(["state"])
        with self.assertRaises(AccessError):
            self.call_claire.with_user(self.gaetan).atelier_popup_data()
        with self.assertRaises(AccessError):
            self.call_claire.with_user(self.gaetan).atelier_log_note("spy")

    def test_technician_cannot_create_calls(self):
        with self.assertRaises(AccessError):
            self.env["atelier.call"].with_user(self.gaetan).create(
                {"line_id": self.line.id, "provider": "x", "provider_call_id": "x"}
            )

    def test_portal_sees_nothing(self):
        with self.assertRaises(AccessError):
            self.env["atelier.call"].with_user(self.portal).search([])
        with self.assertRaises(AccessError):
            self.env["atelier.cti.line"].with_user(self.portal).search([])
        with self.assertRaises(AccessError):
            self.env["atelier.call.event"].with_user(self.portal).search([])
        card = self.env["res.partner"].browse(self.portal.partner_id.id)
        sections = card.with_user(self.portal)._atelier_card_sections()
        self.assertNotIn("calls", [s["key"] for s in sections])

    def test_secret_restricted_to_admins(self):
        for user in (self.claire, self.gaetan):
            line = self.line.with_user(user)
            self.assertTrue(line.secret_set)
            with self.assertRaises(AccessError):
                line.read(["secret"])
            with self.assertRaises(AccessError):
                line.write({"name": "Hacked"})
        self.assertNotIn("secret", self.line.with_user(self.claire).fields_get())
        self.assertNotIn("originate_url", self.line.with_user(self.claire).fields_get())

    def test_secret_wizard(self):
        wizard = (
            self.env["atelier.cti.line.secret"]
            .with_user(self.admin)
            .create({"line_id": self.line.id})
        )
        self.assertGreaterEqual(len(wizard.secret), 32)
        wizard.secret = "short"
        with self.assertRaises(UserError):
            wizard.action_apply()
        wizard.secret = "a-brand-new-secret-value-42"
        wizard.action_apply()
        self.assertEqual(self.line.secret, "a-brand-new-secret-value-42")
        self.assertEqual(wizard.secret, "-")
        with self.assertRaises(AccessError):
            self.env["atelier.cti.line.secret"].with_user(self.claire).create(
                {"line_id": self.line.id, "secret": "x" * 20}
            )

    def test_secret_not_in_views(self):
        arch = (
            self.env["atelier.cti.line"]
            .with_user(self.admin)
            .get_views([(False, "form")])
        )
        form = arch["views"]["form"]["arch"]
        self.assertNotIn('name="secret"', form)
        self.assertIn('name="secret_set"', form)

    def test_events_visible_to_assistants_only(self):
        self.assertTrue(
            self.env["atelier.call.event"].with_user(self.claire).search_count([])
        )
        with self.assertRaises(AccessError):
            self.env["atelier.call.event"].with_user(self.gaetan).search([])
