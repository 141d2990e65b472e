# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import AtelierHelpdeskCommon, new_portal_user


@tagged("post_install", "-at_install")
class TestTemplatesAndCard(AtelierHelpdeskCommon):
    def _realistic_ticket(self):
        """A ticket assigned to a technician, with its SLA running."""
        technician = new_test_user(
            self.env,
            login="gaetan_tpl",
            name="Gaetan Technicien",
            groups="atelier_base.group_technician",
        )
        return self._new_ticket(user_id=technician.id)

    def test_each_reply_template_is_signed_by_the_sender_and_complete(self):
        ticket = self._realistic_ticket()
        as_claire = ticket.with_user(self.user_claire)
        listed = as_claire.atelier_reply_template_list()
        self.assertGreaterEqual(len(listed), 20)
        names = {t["name"] for t in listed}
        self.assertNotIn("Ticket : accusé de réception", names, "automatic only")
        self.assertNotIn("Ticket : enquête de satisfaction", names)
        for template in listed:
            rendered = as_claire.atelier_reply_template_render(template["id"])
            body, text = rendered["body_html"], rendered["body_text"]
            self.assertIn("Bonjour Paul Durand", body, template["name"])
            self.assertIn(ticket.number, body, template["name"])
            self.assertRegex(
                body,
                r"Cordialement,<br/?>\s*Claire Assistant<br/?>",
                f"{template['name']}: signed by the sender",
            )
            self.assertNotIn("Gaetan Technicien", body, template["name"])
            self.assertNotRegex(body, r"\[[^\]]*\]", f"{template['name']}: placeholder")
            self.assertEqual(
                re.findall(r"\[[^\]]*\]", rendered["subject"]),
                [f"[{ticket.number}]"],
                template["name"],
            )
            self.assertIn("Cordialement,\nClaire Assistant\n", text)
            self.assertTrue(text.startswith("Bonjour Paul Durand,\n\n"), text)
            self.assertNotIn("<", text, "plain text for the reply box")
            self.assertNotIn("*", text)
        missing = self.env.ref("atelier_helpdesk.mail_template_ticket_missing_info")
        text = as_claire.atelier_reply_template_render(missing.id)["body_text"]
        self.assertIn("\n- vos disponibilités ;\n- toute précision", text)

    def test_reply_template_refusals(self):
        ticket = self._realistic_ticket()
        ack = self.env.ref("atelier_helpdesk.mail_template_ticket_ack")
        with self.assertRaises(UserError):
            ticket.with_user(self.user_claire).atelier_reply_template_render(ack.id)
        portal = new_portal_user(self.env, "tpl_portal", "Curious Client")
        coach = new_test_user(
            self.env, login="tpl_coach", name="Coach", groups="atelier_base.group_coach"
        )
        quote = self.env.ref("atelier_helpdesk.mail_template_ticket_quote_sent")
        for user in (portal, coach):
            with self.assertRaises(AccessError):
                ticket.with_user(user).atelier_reply_template_list()
            with self.assertRaises(AccessError):
                ticket.with_user(user).atelier_reply_template_render(quote.id)

    def test_suggested_reply_templates_follow_the_stage(self):
        """A few templates fit the ticket's stage (set on the template): they
        are suggested above the reply box, three at most; the others stay in
        the menu."""
        ticket = self._realistic_ticket()
        as_claire = ticket.with_user(self.user_claire)

        def suggested():
            listed = as_claire.atelier_reply_template_list()
            return [t["name"] for t in listed if t["suggested"]]

        stage = self.env.ref
        self.assertEqual(
            ticket.stage_id, stage("helpdesk_mgmt.helpdesk_ticket_stage_new")
        )
        self.assertEqual(
            suggested(),
            [
                "Ticket : demande de photos",
                "Ticket : informations manquantes",
                "Ticket : proposition de rendez-vous",
            ],
        )
        ticket.stage_id = stage("helpdesk_mgmt.helpdesk_ticket_stage_awaiting")
        self.assertEqual(
            suggested(),
            [
                "Ticket : client injoignable",
                "Ticket : relance du devis",
                "Ticket : relance sans réponse",
            ],
        )
        # configurable: a fourth template of the stage, first by name, comes
        # first and pushes the last one out
        parts = self.env.ref("atelier_helpdesk.mail_template_ticket_delay")
        parts.atelier_reply_stage_ids |= ticket.stage_id
        self.assertEqual(
            suggested(),
            [
                "Ticket : client injoignable",
                "Ticket : délai supplémentaire",
                "Ticket : relance du devis",
            ],
        )
        # a template not offered in the reply box is never suggested
        ack = self.env.ref("atelier_helpdesk.mail_template_ticket_ack")
        ack.atelier_reply_stage_ids = ticket.stage_id
        self.assertNotIn(ack.name, suggested())
        # a stage without templates: no suggestion, the menu still has them all
        ticket.stage_id = stage("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")
        self.assertEqual(suggested(), [])
        self.assertGreaterEqual(len(as_claire.atelier_reply_template_list()), 20)
        # who cannot read the ticket gets neither
        portal = new_portal_user(self.env, "sugg_portal", "Curious Client")
        with self.assertRaises(AccessError):
            ticket.with_user(portal).atelier_reply_template_list()

    def test_automatic_mails_are_signed_by_the_service(self):
        """The acknowledgement, sent by the system, promises the first-response
        deadline and names nobody."""
        ticket = self._realistic_ticket()
        ack = self.env.ref("atelier_helpdesk.mail_template_ticket_ack")
        odoobot = self.env.ref("base.user_root")
        body = ack.with_user(odoobot)._render_field("body_html", ticket.ids)[ticket.id]
        self.assertIn("Nous vous répondrons au plus tard le", body)
        self.assertRegex(body, r"Cordialement,<br/?>\s*Service ")
        self.assertNotIn("OdooBot", body)

    def test_composer_inserts_template_and_counts_as_first_response(self):
        ticket = self._new_ticket()
        template = self.env.ref(
            "atelier_helpdesk.mail_template_ticket_appointment_proposed"
        )
        composer_form = Form(
            self.env["mail.compose.message"]
            .with_user(self.user_claire)
            .with_context(
                default_model="helpdesk.ticket",
                default_res_ids=ticket.ids,
                default_composition_mode="comment",
            )
        )
        composer_form.template_id = template
        self.assertIn("Proposition de rendez-vous", composer_form.subject)
        self.assertIn("Paul Durand", composer_form.body)
        self.assertIn("Claire Assistant", composer_form.body, "the sender signs")
        self.assertNotIn("[date]", composer_form.body)
        composer = composer_form.save()
        with self.mock_mail_gateway():
            composer._action_send_mail()
        self.assertTrue(ticket.atelier_first_response_date)
        self.assertTrue(
            self._new_mails.filtered(lambda m: self.client in m.recipient_ids)
        )

    def test_customer_card_lists_open_tickets_with_sla_badge(self):
        open_ticket = self._new_ticket(name="Open one")
        closed = self._new_ticket(name="Closed one")
        closed.stage_id = self.stage_done
        card = self.client.with_user(self.user_claire).atelier_get_card()
        section = next(s for s in card["sections"] if s["key"] == "tickets")
        self.assertEqual(section["sequence"], 20)
        self.assertEqual(section["count"], 1)
        (item,) = section["items"]
        self.assertEqual(item["res_id"], open_ticket.id)
        self.assertEqual(item["badge_color"], "info")
        self.assertEqual(item["badge"], "On track")
        self.assertTrue(section["action"])

    def test_dashboard_groups_by_channel_and_sla(self):
        self._new_ticket(atelier_channel="phone")
        self._new_ticket(atelier_channel="portal")
        groups = self.env["helpdesk.ticket"]._read_group(
            [("partner_id", "=", self.client.id)],
            ["atelier_channel", "atelier_sla_status"],
            ["__count", "atelier_first_response_hours:avg"],
        )
        channels = {channel for channel, _status, _count, _avg in groups}
        self.assertEqual(channels, {"phone", "portal"})
        phone = self.env["helpdesk.ticket"].search(
            [("partner_id", "=", self.client.id), ("atelier_channel", "=", "phone")]
        )
        self.assertEqual(
            phone.channel_id,
            self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone"),
        )
        action = self.env.ref("atelier_helpdesk.atelier_helpdesk_dashboard_action")
        self.assertTrue(action.view_mode.startswith("graph,pivot,list"))
