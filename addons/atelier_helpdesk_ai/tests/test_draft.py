# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import importlib
from types import SimpleNamespace

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.atelier_ai.tests.llm_server import Reply, Status

from .common import AtelierHelpdeskAiCommon


@tagged("post_install", "-at_install")
class TestDraft(AtelierHelpdeskAiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls._new_ticket(
            cls,
            name="Devis tableau",
            description="<p>Pouvez-vous m'envoyer un devis pour le tableau ?</p>",
            type_id=cls.env.ref("atelier_helpdesk.helpdesk_type_quote").id,
            user_id=cls.user_manager.id,
        )

    def draft(self, ticket=None):
        ticket = (ticket or self.ticket).with_user(self.user_claire)
        action = ticket.action_atelier_ai_draft_reply()
        self.assertEqual(action["res_model"], "mail.compose.message")
        return self.env["mail.compose.message"].browse(action["res_id"])

    def test_offline_draft_from_the_matching_template(self):
        composer = self.draft()
        self.assertEqual(composer.subject, f"[{self.ticket.number}] Votre devis")
        body = str(composer.body)
        self.assertIn("Bonjour Paul Durand", body)
        self.assertIn("Vous trouverez ci-joint notre devis", body)
        # signed by the sender, not by the ticket's owner
        self.assertIn("Claire Assistant", body)
        self.assertNotIn("Marc Manager", body)
        self.assertLess(body.index("Cordialement"), body.index("Claire Assistant"))
        self.assertIn(f"Référence : {self.ticket.number}", body)
        self.assertEqual(composer.partner_ids, self.client)
        self.assertEqual(self.llm.requests, [])

    def test_the_draft_is_sent_as_edited(self):
        composer = self.draft().with_user(self.user_claire)
        composer.body = str(composer.body).replace(
            "Vous trouverez ci-joint notre devis", "Voici notre devis corrigé"
        )
        composer.action_send_mail()
        message = self.ticket.message_ids.filtered(
            lambda m: m.message_type == "comment" and "devis corrigé" in (m.body or "")
        )
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.user_claire.partner_id)
        self.assertIn(self.client, message.partner_ids)
        self.assertEqual(message.subject, f"[{self.ticket.number}] Votre devis")
        # the reply counts as the first response of the ticket
        self.assertTrue(self.ticket.atelier_first_response_date)

    def test_template_follows_the_request(self):
        ticket = self._new_ticket(
            name="Voyant moteur", description="<p>Code P0301 relevé ce matin</p>"
        )
        self.assertIn("déposer votre véhicule", str(self.draft(ticket).body))

    def test_model_draft(self):
        self._ai_settings()
        self.llm.push(
            Reply(
                "Bonjour [NOM_1],\n\nMerci pour votre demande de devis pour le "
                "tableau. Il vous parviendra sous 48 h.\n\nNous restons à votre "
                "disposition."
            )
        )
        body = str(self.draft().body)
        self.assertIn("Bonjour Paul Durand,", body)
        self.assertIn("Il vous parviendra sous 48 h.", body)
        self.assertIn("Claire Assistant", body)
        self.assertIn(f"Référence : {self.ticket.number}", body)
        self.assertNotIn("Vous trouverez ci-joint", body)
        request = self.llm.last
        self.assertEqual(self.llm.violations, [])
        for name in ("Paul", "Durand", "Claire", "Marc Manager"):
            self.assertNotIn(name, request.text)
        # the template is in the prompt
        self.assertIn("Il est valable 30 jours", request.text)

    def test_model_failure_gives_the_offline_draft(self):
        self._ai_settings(retries="0")
        self.llm.push(Status(500))
        body = str(self.draft().body)
        self.assertIn("Vous trouverez ci-joint notre devis", body)
        self.assertIn("Claire Assistant", body)
        usage = self.env["atelier.ai.usage"].search(
            [("feature_id.code", "=", "reply_draft")], limit=1
        )
        self.assertEqual(usage.fallback_reason, "server_error")

    def test_only_who_may_reply_gets_a_draft(self):
        for user in (self.technician, self.portal_user):
            with self.assertRaises(AccessError):
                self.ticket.with_user(user).action_atelier_ai_draft_reply()

    def test_knowledge_base_passages(self):
        """Links to the relevant knowledge-base pages when the knowledge base
        is installed (atelier_knowledge is no dependency of this addon)."""
        ticket = self._new_ticket(
            name="Voiture qui broute",
            description="<p>La voiture broute à l'accélération, voyant moteur "
            "qui clignote</p>",
        )
        if "atelier.kb.search" not in self.env:
            self.assertNotIn("/kb/", str(self.draft(ticket).body))
            return
        # not a dependency: imported only when installed
        kb_tests = importlib.import_module("odoo.addons.atelier_knowledge.tests.common")
        kb = SimpleNamespace(env=self.env)
        kb_tests.setup_kb(kb)
        self.env["atelier.kb.search"]._kb_refresh_vocabulary()
        body = str(self.draft(ticket).body)
        link = f'href="{ticket.get_base_url()}/kb/article/{kb.art_misfire.slug}"'
        self.assertIn(link, body)
        self.assertIn("Ratés d'allumage", body)
        # before the sign-off
        self.assertLess(body.index(link), body.index("Claire Assistant"))
        # with a model: the passages are in the prompt
        self._ai_settings()
        self.llm.push(Reply("Bonjour [NOM_1],\n\nPassez à l'atelier."))
        body = str(self.draft(ticket).body)
        self.assertIn(link, body)
        self.assertIn("Permuter la bobine", self.llm.last.text)
