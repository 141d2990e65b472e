# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import Form, tagged

from .common import AtelierHelpdeskCommon


@tagged("post_install", "-at_install")
class TestTemplatesAndCard(AtelierHelpdeskCommon):
    def test_reply_templates_render_from_the_ticket(self):
        templates = self.env["mail.template"].search(
            [("model", "=", "helpdesk.ticket"), ("id", "in", self._own_template_ids())]
        )
        self.assertGreaterEqual(len(templates), 20)
        ticket = self._new_ticket(user_id=self.user_claire.id)
        for template in templates:
            rendered = template._generate_template(
                ticket.ids, ["subject", "body_html"]
            )[ticket.id]
            self.assertIn(ticket.number, rendered["subject"], template.name)
            self.assertIn("Bonjour Paul Durand", rendered["body_html"], template.name)
            self.assertIn(ticket.number, rendered["body_html"], template.name)

    def _own_template_ids(self):
        return (
            self.env["ir.model.data"]
            .search(
                [("module", "=", "atelier_helpdesk"), ("model", "=", "mail.template")]
            )
            .mapped("res_id")
        )

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
        self.assertTrue(action.view_mode.startswith("pivot,graph,list"))
