# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.atelier_booking.tests.common import a_monday, paris, setup_booking_data


@tagged("post_install", "-at_install")
class TestPortalCard(HttpCase):
    """The customer card on the portal home: the client's own data, read
    with the client's rights, a company's tickets across its people."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env.company.country_id = env.ref("base.fr")
        Partner = env["res.partner"]
        cls.garage = Partner.create({"name": "Garage Carte", "is_company": True})
        cls.martine = new_test_user(
            env,
            login="card_martine",
            password="card_martine_pw",
            name="Martine Carte",
            email="martine@carte.example.com",
            groups="base.group_portal",
        )
        cls.martine.partner_id.parent_id = cls.garage
        cls.colleague = Partner.create(
            {"name": "Jules Carte", "parent_id": cls.garage.id}
        )
        cls.stranger = Partner.create({"name": "Autre Client"})
        Ticket = env["helpdesk.ticket"]
        cls.own = Ticket.create(
            {
                "name": "Voyant moteur allumé",
                "description": "<p>Voyant</p>",
                "partner_id": cls.martine.partner_id.id,
            }
        )
        cls.colleagues = Ticket.create(
            {
                "name": "Facture de la flotte",
                "description": "<p>Facture</p>",
                "partner_id": cls.colleague.id,
            }
        )
        cls.others = Ticket.create(
            {
                "name": "Ticket d'un autre client",
                "description": "<p>Autre</p>",
                "partner_id": cls.stranger.id,
            }
        )
        data = setup_booking_data(env, prefix="deskcard")
        cls.type = data["type"]
        cls.booking = env["atelier.booking"]._book(
            data["type"], paris(a_monday(), 10), partner=cls.martine.partner_id
        )

    def _section(self, sections, key):
        return next((s for s in sections if s["key"] == key), None)

    def test_card_sections_are_the_clients_own(self):
        partner = self.martine.partner_id.with_user(self.martine)
        sections = partner._atelier_portal_card()
        tickets = self._section(sections, "tickets")
        names = [item["value"] for item in tickets["items"]]
        # her own ticket and her company's, never another client's
        self.assertIn(self.own.name, names)
        self.assertIn(self.colleagues.name, names)
        self.assertNotIn(self.others.name, names)
        self.assertEqual(tickets["url"], "/my/tickets")
        own = next(i for i in tickets["items"] if i["value"] == self.own.name)
        self.assertEqual(own["url"], f"/my/ticket/{self.own.id}")
        appointments = self._section(sections, "appointments")
        self.assertEqual(appointments["count"], 1)
        self.assertIn(self.type.name, appointments["items"][0]["value"])
        self.assertEqual(appointments["items"][0]["url"], "/my/bookings")
        # what stays with the desk: calls, the contact section
        self.assertFalse({"calls", "contact"} & {s["key"] for s in sections})
        # the soft sections follow what is installed
        self.assertEqual(
            bool(self._section(sections, "vehicles")), "fleet.vehicle" in self.env
        )

    def test_card_of_another_client_is_refused(self):
        with self.assertRaises(AccessError):
            self.colleague.with_user(self.martine)._atelier_portal_card()

    def test_portal_home_shows_the_card(self):
        self.authenticate("card_martine", "card_martine_pw")
        response = self.url_open("/my")
        self.assertEqual(response.status_code, 200)
        html = response.text
        self.assertIn("o_atelier_portal_card", html)
        self.assertIn(self.own.name, html)
        self.assertIn(self.colleagues.name, html)
        self.assertIn(f'href="/my/ticket/{self.own.id}"', html)
        self.assertIn(self.type.name, html)
        self.assertNotIn(self.others.name, html)
        # an employee's portal home has no client card
        self.authenticate("admin", "admin")
        self.assertNotIn("o_atelier_portal_card", self.url_open("/my").text)
