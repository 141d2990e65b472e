# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.atelier_cti.tools.events import parse_body

from .common import ORM_OVERRIDES, AtelierCtiCommon, dumps, event, public_methods


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


@tagged("post_install", "-at_install")
class TestPublicMethods(AtelierCtiCommon, TransactionCase):
    """Every public method of atelier_cti, called over RPC by a portal user,
    a coach and a technical user (like the OBD bridge's) on records they do
    not own: refused, and nothing changed (issue #10, items 20-22)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_cti()
        Call = cls.env["atelier.call"].sudo()
        for kind in ("ringing", "missed"):
            answer = Call._cti_process_event(
                cls.line, parse_body(dumps(event(kind, "audit-1")))
            )
        cls.call = Call.browse(answer["call_id"])
        cls.template = cls.env.ref("atelier_cti.mail_template_call_follow_up")
        cls.activity = cls.call.callback_activity_id
        cls.settings = (
            cls.env["res.config.settings"]
            .with_user(cls.admin)
            .create({"atelier_cti_line_id": cls.line.id})
        )
        cls.wizard = (
            cls.env["atelier.cti.line.secret"]
            .with_user(cls.admin)
            .create({"line_id": cls.line.id})
        )

    def calls(self):
        """(model, method, record, args) of every public method."""
        return [
            ("atelier.call", "action_open_partner", self.call, ()),
            ("atelier.call", "action_new_contact", self.call, ()),
            ("atelier.call", "action_call_back", self.call, ()),
            ("atelier.call", "atelier_choose_partner", self.call, (self.garage.id,)),
            ("atelier.call", "atelier_log_note", self.call, ("spy",)),
            ("atelier.call", "atelier_log_outcome", self.call, ("resolved",)),
            ("atelier.call", "atelier_popup_data", self.call, ()),
            ("atelier.call", "atelier_dial", self.call.browse(), ("0612345678",)),
            ("atelier.call", "atelier_call_templates", self.call, ()),
            (
                "atelier.call",
                "atelier_call_template_preview",
                self.call,
                (self.template.id,),
            ),
            (
                "atelier.call",
                "atelier_call_template_send",
                self.call,
                (self.template.id,),
            ),
            ("atelier.call", "atelier_schedule_call_back", self.call, ("hour",)),
            ("atelier.call", "atelier_undo_call_back", self.call, (self.activity.id,)),
            ("atelier.cti.line", "action_set_secret", self.line, ()),
            ("atelier.cti.line", "action_send_test_event", self.line, ()),
            ("atelier.cti.line", "action_view_calls", self.line, ()),
            ("atelier.cti.line.secret", "action_apply", self.wizard, ()),
            ("res.partner", "action_atelier_view_calls", self.marie, ()),
            ("res.partner", "action_atelier_dial", self.marie, ()),
            ("res.config.settings", "action_atelier_cti_set_secret", self.settings, ()),
            (
                "res.config.settings",
                "action_atelier_cti_send_test_event",
                self.settings,
                (),
            ),
        ]

    def test_every_public_method_is_audited(self):
        """A new public method fails here until it is added to the audit."""
        audited = {(model, method) for model, method, _rec, _args in self.calls()}
        # atelier_pending_calls: the caller's own ringing calls, searched
        # with the caller's rights (empty for anyone without access)
        audited.add(("atelier.call", "atelier_pending_calls"))
        defined = {
            (model, method)
            for model, method in public_methods(self.env, "atelier_cti")
            if method not in ORM_OVERRIDES
        }
        self.assertIn(("atelier.call", "atelier_dial"), defined)
        self.assertEqual(defined - audited, set())

    def test_refused_to_portal_coach_and_technical_users(self):
        state = (self.call.state, self.call.outcome, self.call.callback_done)
        secret = self.line.secret
        messages = self.env["mail.message"].search_count([])
        calls = self.env["atelier.call"].search_count([])
        for user in (self.portal, self.coach, self.bridge):
            for model, method, record, args in self.calls():
                with self.subTest(user=user.login, method=f"{model}.{method}"):
                    with self.assertRaises(AccessError):
                        getattr(record.with_user(user), method)(*args)
            with self.subTest(user=user.login, method="atelier_pending_calls"):
                self.assertEqual(
                    self.env["atelier.call"].with_user(user).atelier_pending_calls(),
                    [],
                )
        self.env.invalidate_all()
        self.assertEqual(
            (self.call.state, self.call.outcome, self.call.callback_done), state
        )
        self.assertEqual(self.line.secret, secret)
        self.assertFalse(self.line.test_at)
        self.assertEqual(self.env["mail.message"].search_count([]), messages)
        self.assertEqual(self.env["atelier.call"].search_count([]), calls)

    def test_note_on_another_contact_needs_write_access(self):
        """A technician routed a call may note on its caller, not on any
        contact he can only read."""
        call = self.call.sudo().copy({"provider_call_id": "audit-2"})
        call.routed_user_ids = self.gaetan
        call.with_user(self.gaetan).atelier_log_note("for the caller")
        with self.assertRaises(AccessError):
            call.with_user(self.gaetan).atelier_log_note("spy", self.garage.id)
        self.assertFalse(
            self.garage.message_ids.filtered(lambda m: "spy" in (m.body or ""))
        )

    def test_lines_are_for_the_desk_and_the_workshop(self):
        self.assertTrue(self.line.with_user(self.gaetan).name)
        self.assertTrue(self.line.with_user(self.claire).name)
        with self.assertRaises(AccessError):
            self.line.with_user(self.coach).read(["name"])
