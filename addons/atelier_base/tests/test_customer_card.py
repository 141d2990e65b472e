# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AtelierBaseCase


@tagged("post_install", "-at_install")
class TestCustomerCard(AtelierBaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls._partner(
            "Garage Dupont",
            is_company=True,
            phone="04 72 10 20 30",
            country_id=cls.fr.id,
            street="12 rue de la République",
            zip="69002",
            city="Lyon",
        )
        cls.jean = cls._partner(
            "Jean Dupont",
            parent_id=cls.company.id,
            mobile="06 12 34 56 78",
            email="jean@example.com",
        )

    def test_contact_section(self):
        card = self.jean.with_user(self.assistant).atelier_get_card()
        self.assertEqual(card["partner"]["id"], self.jean.id)
        self.assertEqual(card["partner"]["name"], "Garage Dupont, Jean Dupont")
        contact = card["sections"][0]
        self.assertEqual(contact["key"], "contact")
        by_label = {item["label"]: item for item in contact["items"]}
        self.assertEqual(by_label["Company"]["res_id"], self.company.id)
        self.assertEqual(by_label["Mobile"]["value"], "06 12 34 56 78")
        self.assertEqual(by_label["Mobile"]["kind"], "phone")
        self.assertEqual(by_label["Email"]["kind"], "email")
        self.assertIn("Lyon", by_label["Address"]["value"])

    def test_sections_are_sorted_and_extensible(self):
        """Addons extend _atelier_card_sections; the card sorts by sequence."""
        partner_cls = type(self.env["res.partner"])
        original = partner_cls._atelier_card_sections

        def patched(record):
            return [
                {
                    "key": "late",
                    "title": "Late",
                    "sequence": 99,
                    "type": "list",
                    "items": [],
                    "count": 0,
                    "action": False,
                },
                *original(record),
                {
                    "key": "early",
                    "title": "Early",
                    "sequence": -1,
                    "type": "list",
                    "items": [],
                    "count": 0,
                    "action": False,
                },
            ]

        self.patch(partner_cls, "_atelier_card_sections", patched)
        keys = [s["key"] for s in self.jean.atelier_get_card()["sections"]]
        # other installed addons add their own sections in between
        self.assertEqual(keys[0], "early")
        self.assertEqual(keys[1], "contact")
        self.assertEqual(keys[-1], "late")

    def test_portal_cannot_read_someone_elses_card(self):
        with self.assertRaises(AccessError):
            self.jean.with_user(self.portal).atelier_get_card()
        # their own card is fine
        own = self.portal.partner_id.with_user(self.portal).atelier_get_card()
        self.assertEqual(own["partner"]["id"], self.portal.partner_id.id)
