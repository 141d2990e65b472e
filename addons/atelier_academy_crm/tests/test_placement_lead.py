# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from odoo.addons.atelier_academy.tests.test_placement import PlacementFixtures


@tagged("post_install", "-at_install")
class TestPlacementLead(PlacementFixtures, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_academy("acrm")
        cls._setup_placement()
        cls.Lead = cls.env["crm.lead"]
        cls.sequence = cls.env.ref("atelier_crm.sequence_academy")

    def _enrolled_lead(self, email):
        lead = self.Lead.create(
            {
                "name": "Guide",
                "contact_name": "Visiteuse",
                "email_from": email,
                "user_id": False,
            }
        )
        self.env["atelier.crm.consent"]._atelier_log(
            [email], "sequence", "granted", "lead_magnet"
        )
        return lead, self.sequence._atelier_enrol(lead)

    def test_the_placement_test_makes_a_lead_with_its_scores(self):
        lead, enrolment = self._enrolled_lead("visiteuse.test@example.com")
        result = self.answer_placement(
            email="Visiteuse.Test@Example.com", right={"thermal": 2, "diagnostics": 1}
        )
        self.assertEqual(result.crm_lead_id, lead, "the open lead of the contact")
        self.assertEqual(lead.atelier_placement_result_id, result)
        self.assertEqual(lead.atelier_placement_score, result.global_score)
        self.assertIn(f"{round(result.global_score)} %", lead.message_ids[0].body)
        self.assertIn("placement_test", lead.atelier_score_line_ids.mapped("event"))
        self.assertEqual(
            (enrolment.state, enrolment.stop_reason), ("stopped", "placement_test")
        )

    def test_a_new_visitor_becomes_a_lead(self):
        result = self.answer_placement(
            email="inconnu.placement@example.com", right={"thermal": 1}
        )
        lead = result.crm_lead_id
        self.assertEqual(lead.atelier_channel, "placement_test")
        self.assertEqual(
            lead.source_id, self.env.ref("atelier_crm.utm_source_placement")
        )
        self.assertEqual(lead.atelier_profile, "learner")
        self.assertIn("placement test", lead.name)
        self.assertIn("%", lead.description)

    def test_buying_a_package_stops_the_sequences(self):
        lead, enrolment = self._enrolled_lead(self.learner.partner_id.email)
        self.env["atelier.academy.enrolment"]._atelier_enrol(
            self.learner.partner_id, self.package, "sale.order,4242"
        )
        self.assertEqual(
            (enrolment.state, enrolment.stop_reason), ("stopped", "payment")
        )

    def test_the_sequence_link_leads_to_the_placement_test(self):
        response = self.url_open("/atelier/crm/placement", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn(
            f"/survey/start/{self.placement.access_token}", response.headers["Location"]
        )
