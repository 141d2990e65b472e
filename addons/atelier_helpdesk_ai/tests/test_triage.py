# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.atelier_ai.tests.llm_server import JsonReply, Reply

from .common import AtelierHelpdeskAiCommon


@tagged("post_install", "-at_install")
class TestTriage(AtelierHelpdeskAiCommon):
    def test_offline_suggestion_on_a_new_ticket(self):
        ticket = self.new_ticket(
            "Disjoncteur qui saute",
            "Le disjoncteur général saute dès que le compresseur démarre. Urgent !",
        )
        self.assertRecordValues(
            ticket,
            [
                {
                    "atelier_ai_state": "suggested",
                    "atelier_ai_source": "offline",
                    "atelier_ai_type_id": self.type_electrical.id,
                    "atelier_ai_priority": "2",
                    "atelier_ai_sentiment": "neutral",
                    # the box starts on the suggestion
                    "atelier_ai_choice_type_id": self.type_electrical.id,
                    "atelier_ai_choice_priority": "2",
                    "atelier_ai_queued": False,
                }
            ],
        )
        # the words as the client wrote them
        self.assertIn("« Disjoncteur »", ticket.atelier_ai_reason)
        self.assertIn("« Urgent »", ticket.atelier_ai_reason)
        # Offline: nothing left Odoo, the call is logged as such
        self.assertEqual(self.llm.requests, [])
        self.assertFalse(
            self.env["atelier.ai.usage"].search(
                [("feature_id.code", "=", "ticket_triage")]
            )
        )

    def test_reason_in_the_desk_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env.company.partner_id.lang = "fr_FR"
        # a client writing in English, a gateway in English: the desk reads French
        ticket = self.new_ticket("Disjoncteur", "Le disjoncteur saute, urgent")
        self.assertIn("priorité", ticket.atelier_ai_reason)

    def test_trouble_codes_and_angry_clients(self):
        ticket = self.new_ticket(
            "Toujours pas réparée !!", "Le code P0301 est revenu. C'est inadmissible."
        )
        self.assertEqual(ticket.atelier_ai_type_id, self.type_diagnostic)
        self.assertEqual(ticket.atelier_ai_sentiment, "angry")
        self.assertIn("P0301", ticket.atelier_ai_reason)

    def test_no_keyword_keeps_the_ticket_type(self):
        ticket = self.new_ticket("Rappel", "Pouvez-vous me rappeler ?")
        self.assertEqual(ticket.atelier_ai_type_id, ticket.type_id)
        self.assertEqual(ticket.atelier_ai_priority, "1")

    def test_imports_are_triaged_by_keywords(self):
        tickets = self.env["helpdesk.ticket"].create(
            [
                {
                    "name": f"Disjoncteur {i}",
                    "description": "<p>Le disjoncteur saute</p>",
                    "partner_id": self.client.id,
                }
                for i in range(25)
            ]
        )
        self.assertEqual(set(tickets.mapped("atelier_ai_state")), {"suggested"})
        self.assertEqual(tickets.atelier_ai_type_id, self.type_electrical)

    def test_open_tickets_of_before_the_install(self):
        ticket = self.new_ticket("Disjoncteur", "Le disjoncteur saute")
        closed = self.new_ticket("Devis", "Un devis svp")
        (ticket | closed).sudo().write({"atelier_ai_state": "none"})
        closed.sudo().stage_id = self.stage_done
        self.assertEqual(
            self.env["helpdesk.ticket"]._atelier_ai_triage_open_tickets(), 1
        )
        self.assertEqual(ticket.atelier_ai_state, "suggested")
        self.assertEqual(closed.atelier_ai_state, "none")

    def test_presorted_ticket(self):
        """A ticket Alex opens without a type gets the suggested type and
        its team at once; the suggestion still waits for Claire."""
        ticket = (
            self.env["helpdesk.ticket"]
            .with_context(atelier_ai_presort=True)
            .create(
                {
                    "name": "Question à Alex : code P0301",
                    "description": "<p>Que veut dire P0301 ?</p>",
                    "partner_id": self.client.id,
                }
            )
        )
        self.assertRecordValues(
            ticket,
            [
                {
                    "type_id": self.type_diagnostic.id,
                    "team_id": self.team_workshop.id,
                    "atelier_ai_state": "suggested",
                }
            ],
        )
        # without the context, a ticket keeps what it was given
        other = self.env["helpdesk.ticket"].create(
            {
                "name": "Code P0301",
                "description": "<p>P0301</p>",
                "partner_id": self.client.id,
            }
        )
        self.assertEqual(other.atelier_ai_type_id, self.type_diagnostic)
        self.assertNotEqual(other.type_id, self.type_diagnostic)

    def test_accept(self):
        ticket = self.new_ticket("Code défaut", "Voyant moteur et code P0420, urgent")
        self.assertEqual(ticket.team_id, self.team_desk)
        ticket.action_atelier_ai_apply_triage()
        self.assertRecordValues(
            ticket,
            [
                {
                    "atelier_ai_state": "accepted",
                    "type_id": self.type_diagnostic.id,
                    "priority": "2",
                    "atelier_sentiment": "neutral",
                    # the type's team takes the ticket
                    "team_id": self.team_workshop.id,
                }
            ],
        )
        decision = ticket.atelier_ai_decision_ids
        self.assertRecordValues(
            decision,
            [
                {
                    "decision": "accepted",
                    "user_id": self.user_claire.id,
                    "source": "offline",
                    "type_score": 100,
                    "priority_score": 100,
                    "sentiment_score": 100,
                }
            ],
        )
        with self.assertRaises(UserError):
            ticket.action_atelier_ai_apply_triage()

    def test_override_is_logged(self):
        ticket = self.new_ticket("Devis", "Un devis pour le tableau, c'est urgent")
        self.assertEqual(ticket.atelier_ai_type_id, self.type_quote)
        ticket.write(
            {
                "atelier_ai_choice_priority": "0",
                "atelier_ai_choice_sentiment": "negative",
            }
        )
        ticket.action_atelier_ai_apply_triage()
        self.assertRecordValues(
            ticket,
            [
                {
                    "atelier_ai_state": "overridden",
                    "type_id": self.type_quote.id,
                    "priority": "0",
                    "atelier_sentiment": "negative",
                }
            ],
        )
        self.assertRecordValues(
            ticket.atelier_ai_decision_ids,
            [
                {
                    "decision": "overridden",
                    "suggested_priority": "2",
                    "final_priority": "0",
                    "type_score": 100,
                    "priority_score": 0,
                    "sentiment_score": 0,
                }
            ],
        )
        note = ticket.message_ids.filtered(
            lambda m: "Triage suggestion overridden" in (m.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertTrue(note.subtype_id.internal)
        self.assertIn("High → Low", note.body)
        self.assertEqual(note.author_id, self.user_claire.partner_id)

    def test_only_who_may_edit_the_ticket_decides(self):
        ticket = self.new_ticket("Devis", "Un devis svp")
        for user in (self.technician, self.portal_user):
            with self.assertRaises(AccessError):
                ticket.with_user(user).action_atelier_ai_apply_triage()
            with self.assertRaises(AccessError):
                ticket.with_user(user).action_atelier_ai_suggest_triage()
        self.assertEqual(ticket.atelier_ai_state, "suggested")

    def test_suggest_again(self):
        ticket = self.new_ticket("Devis", "Un devis svp")
        ticket.action_atelier_ai_apply_triage()
        ticket.description = "<p>Finalement, plus de courant du tout : danger</p>"
        ticket.action_atelier_ai_suggest_triage()
        self.assertEqual(ticket.atelier_ai_state, "suggested")
        self.assertEqual(ticket.atelier_ai_priority, "3")

    def test_model_refines_the_suggestion(self):
        self._ai_settings()
        self.llm.push(
            JsonReply(
                {
                    "type_id": self.type_training.id,
                    "priority": "0",
                    "sentiment": "positive",
                    "reason": "Demande d'information sur une formation, ton aimable.",
                }
            )
        )
        ticket = self.new_ticket(
            "Renseignement",
            "Bonjour, je suis Paul Durand (06 12 34 56 78, paul@durand.fr). "
            "Proposez-vous des sessions pour apprendre à diagnostiquer ? Merci !",
        )
        # at once: the rules; the model is asked by the scheduled job
        self.assertEqual(
            (ticket.atelier_ai_source, ticket.atelier_ai_queued), ("offline", True)
        )
        self.assertEqual(self.llm.requests, [])
        self.assertEqual(self.env["helpdesk.ticket"]._atelier_ai_cron_triage(), 1)
        self.assertRecordValues(
            ticket,
            [
                {
                    "atelier_ai_source": "model",
                    "atelier_ai_queued": False,
                    "atelier_ai_type_id": self.type_training.id,
                    "atelier_ai_priority": "0",
                    "atelier_ai_sentiment": "positive",
                    "atelier_ai_choice_type_id": self.type_training.id,
                    "atelier_ai_reason": (
                        "Demande d'information sur une formation, ton aimable."
                    ),
                }
            ],
        )
        request = self.llm.last
        self.assertEqual(self.llm.violations, [])
        self.assertNotIn("Durand", request.text)
        schema = request.body["response_format"]["json_schema"]["schema"]
        self.assertIn(self.type_training.id, schema["properties"]["type_id"]["enum"])
        self.assertIn(f"{self.type_training.id} = ", request.text)

    def test_invalid_model_answer_keeps_the_rules(self):
        self._ai_settings()
        self.llm.push(JsonReply({"type_id": -1, "priority": "9", "sentiment": "?"}))
        ticket = self.new_ticket("Disjoncteur", "Le disjoncteur saute")
        self.env["helpdesk.ticket"]._atelier_ai_cron_triage()
        self.assertEqual(ticket.atelier_ai_source, "offline")
        self.assertEqual(ticket.atelier_ai_type_id, self.type_electrical)
        usage = self.env["atelier.ai.usage"].search(
            [("feature_id.code", "=", "ticket_triage")], limit=1
        )
        self.assertEqual(usage.fallback_reason, "schema_invalid")

    def test_the_model_never_overwrites_a_decision(self):
        self._ai_settings()
        self.llm.push(Reply("not asked"))
        ticket = self.new_ticket("Devis", "Un devis svp")
        ticket.action_atelier_ai_apply_triage()
        self.env["helpdesk.ticket"]._atelier_ai_cron_triage()
        self.assertEqual(self.llm.requests, [])
        self.assertEqual(ticket.atelier_ai_state, "accepted")
        self.assertFalse(ticket.atelier_ai_queued)

    def test_accuracy_report(self):
        Decision = self.env["atelier.ai.triage.decision"]
        for name, text, override in (
            ("Devis", "Un devis svp", False),
            ("Disjoncteur", "Le disjoncteur saute", False),
            ("Formation", "Inscription à la formation", True),
        ):
            ticket = self.new_ticket(name, text)
            if override:
                ticket.atelier_ai_choice_type_id = self.type_after_sales
            ticket.action_atelier_ai_apply_triage()
        now = fields.Datetime.now()
        accuracy = Decision._accuracy(now - timedelta(days=1), now + timedelta(days=1))
        self.assertEqual(accuracy["type"], {"count": 3, "right": 2, "rate": 66.7})
        self.assertEqual(accuracy["priority"], {"count": 3, "right": 3, "rate": 100.0})
        self.assertEqual(Decision._accuracy(source="model")["type"]["count"], 0)
        # outside the period: nothing
        self.assertEqual(
            Decision._accuracy(now + timedelta(days=1))["type"]["count"], 0
        )
        # the pivot of the report reads the same averages
        [(avg,)] = Decision._read_group([], [], ["type_score:avg"])
        self.assertAlmostEqual(avg, 200 / 3)
