# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import inspect

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .. import models as addon_models
from .common import AtelierHelpdeskAiCommon


@tagged("post_install", "-at_install")
class TestSecurity(AtelierHelpdeskAiCommon):
    def test_public_methods_are_known(self):
        """Each public method is reviewed for RPC access (and tested in
        test_triage / test_draft for who may call it)."""
        public = set()
        for module in (
            addon_models.helpdesk_ticket,
            addon_models.atelier_ai_triage_decision,
        ):
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ == module.__name__:
                    public |= {
                        f"{cls.__name__}.{name}"
                        for name, member in vars(cls).items()
                        if callable(member) and not name.startswith("_")
                    }
        self.assertEqual(
            public,
            {
                "HelpdeskTicket.create",
                "HelpdeskTicket.action_atelier_ai_apply_triage",
                "HelpdeskTicket.action_atelier_ai_suggest_triage",
                "HelpdeskTicket.action_atelier_ai_draft_reply",
                "AtelierAiTriageDecision.create",
            },
        )

    def test_decisions_are_read_only(self):
        ticket = self.new_ticket("Devis", "Un devis svp")
        ticket.action_atelier_ai_apply_triage()
        decision = ticket.atelier_ai_decision_ids.with_user(self.user_claire)
        self.assertEqual(decision.decision, "accepted")
        with self.assertRaises(AccessError):
            decision.write({"decision": "overridden"})
        with self.assertRaises(AccessError):
            self.env["atelier.ai.triage.decision"].with_user(self.user_claire).create(
                {"ticket_id": ticket.id, "decision": "accepted"}
            )
        with self.assertRaises(AccessError):
            decision.with_user(self.portal_user).read(["decision"])

    def test_clients_do_not_read_the_triage(self):
        portal_ticket = self.new_ticket("Inadmissible", "Toujours pas réparé !!")
        portal_ticket.sudo().partner_id = self.portal_user.partner_id
        ticket = portal_ticket.with_user(self.portal_user)
        ticket.check_access("read")
        self.assertEqual(ticket.sudo().atelier_ai_sentiment, "angry")
        for field in ("atelier_ai_sentiment", "atelier_ai_reason", "atelier_sentiment"):
            self.assertNotIn(field, ticket.fields_get())
            with self.assertRaises(AccessError):
                ticket.read([field])
