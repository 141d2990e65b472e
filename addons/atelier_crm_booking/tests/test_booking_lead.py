# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.atelier_booking.tests.common import a_monday, paris, setup_booking_data


@tagged("post_install", "-at_install")
class TestBookingLead(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.data = setup_booking_data(cls.env, prefix="crmbk")
        cls.type = cls.data["type"]
        cls.type.product_id = cls.env["product.product"].create(
            {"name": "Diagnostic OBD", "lst_price": 79.0}
        )
        cls.monday = a_monday()
        cls.Booking = cls.env["atelier.booking"]
        cls.Lead = cls.env["crm.lead"]
        cls.sequence = cls.env.ref("atelier_crm.sequence_academy")
        cls.sequence.resource_calendar_id = cls.env["resource.calendar"].create(
            {
                "name": "crmbk always open",
                "tz": "UTC",
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": f"d{day}",
                            "dayofweek": str(day),
                            "hour_from": 0,
                            "hour_to": 24,
                            "day_period": "morning",
                        },
                    )
                    for day in range(7)
                ],
            }
        )

    def _book(self, partner, hour, **answers):
        return self.Booking._book(
            self.type,
            paris(self.monday, hour),
            partner=partner,
            hold=False,
            answers=answers,
        )

    def test_first_booking_of_a_new_client_is_a_lead(self):
        client = self.env["res.partner"].create(
            {
                "name": "Nouveau Client",
                "email": "nouveau.client@example.com",
                "phone": "06 10 20 30 40",
            }
        )
        booking = self._book(
            client, 9, answer_vehicle="Clio 2015", answer_description="Voyant moteur"
        )
        self.assertEqual(booking.state, "confirmed")
        lead = booking.crm_lead_id
        self.assertEqual(lead.partner_id, client)
        self.assertEqual(lead.atelier_channel, "booking")
        self.assertEqual(lead.source_id, self.env.ref("atelier_crm.utm_source_booking"))
        self.assertEqual(lead.expected_revenue, 79.0)
        self.assertIn("Clio 2015", lead.description)
        self.assertEqual(lead.atelier_booking_count, 1)
        self.assertIn("booking", lead.atelier_score_line_ids.mapped("event"))
        # a second booking makes no second lead
        second = self._book(client, 14)
        self.assertFalse(second.crm_lead_id)
        self.assertEqual(self.Lead.search_count([("partner_id", "=", client.id)]), 1)

    def test_a_booking_stops_the_sequences_and_converts(self):
        client = self.env["res.partner"].create(
            {"name": "Abonnée Guide", "email": "abonnee@example.com"}
        )
        lead = self.Lead.create(
            {
                "name": "Guide",
                "partner_id": client.id,
                "email_from": client.email,
                "user_id": False,
            }
        )
        self.env["atelier.crm.consent"]._atelier_log(
            [client.email], "sequence", "granted", "lead_magnet"
        )
        enrolment = self.sequence._atelier_enrol(lead)
        self.env["atelier.crm.enrolment"]._atelier_run_batch(now=enrolment.next_due)
        self._book(client, 10)
        self.assertEqual(
            (enrolment.state, enrolment.stop_reason), ("stopped", "booking")
        )
        self.assertEqual(enrolment.step_log_ids.filtered("sent").converted, 1)
        # the open lead got the booking, no new lead
        self.assertEqual(self.Lead.search([("partner_id", "=", client.id)]), lead)

    def test_salespeople_without_booking_rights_open_the_lead(self):
        salesman = self.env["res.users"].create(
            {
                "name": "Vendeur sans agenda",
                "login": "crmbk_sales",
                "group_ids": [
                    (6, 0, [self.env.ref("sales_team.group_sale_salesman").id])
                ],
            }
        )
        client = self.env["res.partner"].create(
            {"name": "Client Vendeur", "email": "client.vendeur@example.com"}
        )
        lead = self._book(client, 11).crm_lead_id
        lead.user_id = salesman
        self.assertEqual(lead.atelier_booking_count, 1)
        lead.invalidate_recordset()
        form = lead.with_user(salesman).web_read(
            {"atelier_booking_count": {}, "name": {}}
        )
        self.assertEqual(form[0]["atelier_booking_count"], 0)

    def test_a_booked_lead_gets_a_salesperson_in_turn(self):
        """Nothing waits for an owner: each new client who books goes to the
        team's next salesperson (round robin), not to a nurturing queue."""
        team = self.env.ref("atelier_crm.crm_team_individuals")
        team.crm_team_member_ids.unlink()
        sellers = [
            new_test_user(
                self.env,
                login=f"crmbk_seller{index}",
                groups="sales_team.group_sale_salesman",
            )
            for index in (1, 2)
        ]
        self.env["crm.team.member"].create(
            [{"crm_team_id": team.id, "user_id": seller.id} for seller in sellers]
        )
        owners = []
        for index, hour in enumerate((9, 10, 11)):
            client = self.env["res.partner"].create(
                {"name": f"Client {index}", "email": f"client{index}@example.com"}
            )
            lead = self._book(client, hour).crm_lead_id
            self.assertEqual(lead.team_id, team)
            owners.append(lead.user_id)
        self.assertEqual(owners, [sellers[0], sellers[1], sellers[0]])

    def test_a_deleted_booking_takes_its_untouched_lead_along(self):
        client = self.env["res.partner"].create(
            {"name": "Client Effacé", "email": "efface@example.com"}
        )
        booking = self._book(client, 15)
        lead = booking.crm_lead_id
        self.assertTrue(lead)
        booking.unlink()
        self.assertFalse(lead.exists())
        # an opportunity is someone's work: it stays
        other = self.env["res.partner"].create(
            {"name": "Client Suivi", "email": "suivi@example.com"}
        )
        booking = self._book(other, 16)
        opportunity = booking.crm_lead_id
        opportunity.type = "opportunity"
        booking.unlink()
        self.assertTrue(opportunity.exists())
