# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCustomerCardTour(HttpCase):
    def test_card_panel_on_partner_form(self):
        new_test_user(
            self.env,
            login="tour_claire",
            password="tour_claire",
            groups="atelier_base.group_assistant,base.group_partner_manager",
        )
        company = self.env["res.partner"].create(
            {
                "name": "Garage Dupont",
                "is_company": True,
                "phone": "04 72 10 20 30",
                "country_id": self.env.ref("base.fr").id,
            }
        )
        partner = self.env["res.partner"].create(
            {
                "name": "Jean Dupont",
                "parent_id": company.id,
                "mobile": "06 12 34 56 78",
                "email": "jean@example.com",
            }
        )
        self.start_tour(
            f"/odoo/res.partner/{partner.id}",
            "atelier_base_customer_card",
            login="tour_claire",
        )
