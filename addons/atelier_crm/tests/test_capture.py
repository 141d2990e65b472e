# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io

import openpyxl

from odoo.tests import TransactionCase, tagged

from .common import AtelierCrmCommon


@tagged("post_install", "-at_install")
class TestCapture(AtelierCrmCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_crm("cap")
        cls.Partner = cls.env["res.partner"]
        cls.jean = cls.Partner.create(
            {
                "name": "Jean Dupont",
                "mobile": "06 12 34 56 78",
                "country_id": cls.fr.id,
            }
        )
        cls.marie = cls.Partner.create(
            {
                "name": "Marie Curie",
                "email": "Marie.Curie@Example.com",
                "country_id": cls.fr.id,
            }
        )

    def capture(self, channel="website_form", **data):
        return self.Lead._atelier_capture(data, channel)

    def leads_of(self, partner):
        return self.Lead.search([("partner_id", "=", partner.id)])

    def test_same_phone_in_other_formats_is_one_contact_and_one_lead(self):
        first = self.capture("phone", name="J. Dupont", phone="+33612345678")
        self.assertEqual(first.partner_id, self.jean)
        for number in ("0033 6 12 34 56 78", "06.12.34.56.78", "+33 (0)6 12 34 56 78"):
            lead = self.capture("phone", name="Jean", phone=number)
            self.assertEqual(lead, first, number)
        self.assertEqual(self.leads_of(self.jean), first)
        self.assertEqual(self.Partner.search_count([("name", "ilike", "dupont")]), 1)
        # the lead keeps its first way in and counts each call (at most 3)
        self.assertEqual(first.atelier_channel, "phone")
        calls = first.atelier_score_line_ids.filtered(lambda line: line.event == "call")
        self.assertEqual(len(calls), 3)

    def test_same_email_in_another_case(self):
        lead = self.capture(
            name="Marie", email="marie.curie@example.COM", message="Bonjour"
        )
        self.assertEqual(lead.partner_id, self.marie)
        again = self.capture(
            "lead_magnet", name="Marie C.", email="MARIE.CURIE@example.com"
        )
        self.assertEqual(again, lead)
        self.assertEqual(
            self.Partner.search_count(
                [("email_normalized", "=", "marie.curie@example.com")]
            ),
            1,
        )
        self.assertIn("Lead magnet", again.message_ids[0].body)

    def test_new_contact_gets_a_lead_with_its_attribution(self):
        source = self.env["utm.source"].create({"name": "Salon Auto Lyon"})
        campaign = self.env["utm.campaign"].create({"title": "Printemps 2027"})
        lead = self.capture(
            name="Zoé Martin",
            email="zoe.martin@example.com",
            phone="07 81 00 00 01",
            zip="69003",
            profile="learner",
            source=source,
            campaign=campaign,
            referral="PARRAIN-42",
            landing="/atelier/guide/diagnostic-obd",
            message="Je veux me former.",
        )
        partner = lead.partner_id
        self.assertEqual(
            (partner.name, partner.email), ("Zoé Martin", "zoe.martin@example.com")
        )
        self.assertEqual(
            partner.atelier_phone_index_ids.mapped("e164"), ["+33781000001"]
        )
        self.assertEqual(lead.source_id, source)
        self.assertEqual(lead.campaign_id, campaign)
        self.assertEqual(lead.atelier_referral_code, "PARRAIN-42")
        self.assertEqual(lead.atelier_landing_page, "/atelier/guide/diagnostic-obd")
        self.assertEqual(lead.atelier_region, "ara")
        self.assertEqual(lead.team_id, self.team)
        self.assertEqual(lead.type, "lead")
        # fit (learner 15 + Auvergne-Rhône-Alpes 10) and engagement (form 15)
        self.assertEqual(lead.atelier_score, 40)
        # a second touch keeps the first attribution
        other = self.env["utm.source"].create({"name": "Autre"})
        self.capture(name="Zoé", email="zoe.martin@example.com", source=other)
        self.assertEqual(lead.source_id, source)

    def test_consents_are_logged_with_text_and_ip(self):
        lead = self.Lead._atelier_capture(
            {"name": "Léa", "email": "lea@example.com"},
            "phone",
            consents={"sequence": ("granted", "Accord donné au téléphone.")},
            client_ip="192.0.2.7",
        )
        consent = self.Consent.search([("email", "=", "lea@example.com")])
        self.assertEqual(
            (
                consent.purpose,
                consent.action,
                consent.text,
                consent.ip,
                consent.lead_id,
            ),
            ("sequence", "granted", "Accord donné au téléphone.", "192.0.2.7", lead),
        )
        self.assertEqual(lead.partner_id.atelier_consent_sequence, "granted")
        self.assertEqual(lead.partner_id.atelier_consent_newsletter, "none")

    def test_manual_entry_links_the_existing_contact(self):
        lead = self.Lead.with_user(self.sales1).create(
            {"name": "Devis atelier", "contact_name": "Jean", "phone": "06 12 34 56 78"}
        )
        self.assertEqual(lead.partner_id, self.jean)
        self.assertEqual(lead.atelier_channel, "manual")
        fresh = self.Lead.with_user(self.sales1).create(
            {
                "name": "Nouveau",
                "contact_name": "Nina Neuve",
                "email_from": "nina@example.com",
            }
        )
        self.assertEqual(fresh.partner_id.email, "nina@example.com")
        self.assertEqual(fresh.partner_id.name, "Nina Neuve")

    def _xlsx(self, rows):
        book = openpyxl.Workbook()
        sheet = book.active
        for row in rows:
            sheet.append(row)
        data = io.BytesIO()
        book.save(data)
        return data.getvalue()

    def test_xlsx_import_deduplicates(self):
        existing = self.capture(name="Marie", email="marie.curie@example.com")
        content = self._xlsx(
            [
                ["Opportunity", "Contact Name", "Email", "Phone"],
                ["Salon: Marie", "Marie Curie", "MARIE.CURIE@EXAMPLE.COM", ""],
                ["Salon: Paul", "Paul Neuf", "paul.neuf@example.com", "06 99 88 77 66"],
                ["Salon: Paul encore", "Paul N.", "Paul.Neuf@example.com", ""],
                ["Salon: Jean", "Jean D.", "", "+33 6 12 34 56 78"],
            ]
        )
        wizard = self.env["base_import.import"].create(
            {
                "res_model": "crm.lead",
                "file": content,
                "file_name": "salon.xlsx",
                "file_type": "application/vnd.openxmlformats-officedocument"
                ".spreadsheetml.sheet",
            }
        )
        result = wizard.execute_import(
            ["name", "contact_name", "email_from", "phone"],
            ["Opportunity", "Contact Name", "Email", "Phone"],
            {"has_headers": True, "quoting": '"', "separator": ","},
        )
        self.assertFalse(result["messages"], result["messages"])
        leads = self.Lead.browse(result["ids"])
        self.assertEqual(leads[0], existing, "the open lead of the contact is updated")
        paul = self.Partner.search([("email_normalized", "=", "paul.neuf@example.com")])
        self.assertEqual(len(paul), 1)
        self.assertEqual(
            len(self.leads_of(paul)), 1, "one lead for two rows of one person"
        )
        self.assertEqual(leads[3].partner_id, self.jean)
        self.assertEqual(self.leads_of(self.jean).atelier_channel, "import")
        self.assertEqual(
            self.Partner.search_count(
                [("email_normalized", "=", "marie.curie@example.com")]
            ),
            1,
        )
