# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import Form, TransactionCase, tagged

from odoo.addons.atelier_cti.tests.common import AtelierCtiCommon


@tagged("post_install", "-at_install")
class TestCallLead(AtelierCtiCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_cti()
        cls.Call = cls.env["atelier.call"]

    def _call(self, number, partner=None):
        return self.Call.create(
            {
                "line_id": self.line.id,
                "provider": "asterisk",
                "provider_call_id": f"crm-{number}",
                "caller_number": number,
                "partner_id": partner.id if partner else False,
            }
        )

    def _new_lead(self, call, **values):
        action = call.with_user(self.claire).action_new_lead()
        self.assertEqual(action["res_model"], "crm.lead")
        form = Form(
            self.env["crm.lead"]
            .with_user(self.claire)
            .with_context(**action["context"]),
            view=action["views"][0][0],
        )
        for name, value in values.items():
            setattr(form, name, value)
        return form.save()

    def test_unknown_caller_becomes_a_contact_and_a_lead(self):
        call = self._call("+33699887766")
        lead = self._new_lead(
            call, contact_name="Nadia Caller", name="Formation diagnostic"
        )
        self.assertEqual(lead.atelier_channel, "phone")
        self.assertEqual(lead.source_id, self.env.ref("atelier_crm.utm_source_phone"))
        self.assertEqual(lead.partner_id.name, "Nadia Caller")
        self.assertEqual(lead.partner_id.atelier_phone_index_ids.e164, "+33699887766")
        self.assertEqual(call.crm_lead_id, lead)
        self.assertEqual(call.partner_id, lead.partner_id)
        self.assertIn("call", lead.atelier_score_line_ids.mapped("event"))
        # the next call of that number finds the contact and shows the lead
        self.assertEqual(
            self.env["res.partner"]._atelier_find_by_phone("06 99 88 77 66"),
            lead.partner_id,
        )
        card = lead.partner_id.with_user(self.claire).atelier_get_card()
        section = next(s for s in card["sections"] if s["key"] == "opportunities")
        self.assertEqual(section["count"], 1)
        self.assertEqual(section["items"][0]["res_id"], lead.id)

    def test_number_in_another_format_finds_the_existing_contact(self):
        # the garage's number is 04 78 12 34 56
        call = self._call("+33478123456")
        lead = self._new_lead(call, contact_name="Quelqu'un du garage")
        self.assertEqual(lead.partner_id, self.garage)
        self.assertEqual(call.partner_id, self.garage)

    def test_technicians_cannot_take_leads_from_calls(self):
        call = self._call("+33611111111")
        with self.assertRaises(AccessError):
            call.with_user(self.gaetan).action_new_lead()
        with self.assertRaises(AccessError):
            call.with_user(self.portal).action_new_lead()
