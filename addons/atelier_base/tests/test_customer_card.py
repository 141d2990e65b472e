# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

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

    def card_messages(self):
        self.env.cr.flush()  # runs the pre-commit hooks
        messages = (
            self.env["bus.bus"]
            .sudo()
            .search([("message", "like", "atelier_base/card_changed")])
        )
        return [
            (json.loads(m.channel)[1:], json.loads(m.message)["payload"])
            for m in messages
        ]

    def test_card_changed_is_one_message_to_the_user_acting(self):
        """Records shown on the card announce their changes: one message per
        transaction, to the acting user, with the contacts and their
        company (whose contacts' cards show it too)."""
        Partner = self.env["res.partner"].with_user(self.assistant)
        Partner.browse(self.jean.id)._atelier_card_changed()
        Partner.browse(self.jean.id)._atelier_card_changed()
        Partner.browse(self.company.id)._atelier_card_changed()
        self.assertEqual(
            self.card_messages(),
            [
                (
                    ["res.partner", self.assistant.partner_id.id],
                    {"partner_ids": sorted([self.jean.id, self.company.id])},
                )
            ],
        )
        # nobody to tell: the superuser (crons, webhooks), a portal user
        self.env["bus.bus"].sudo().search([]).unlink()
        self.jean._atelier_card_changed()
        self.jean.with_user(self.portal)._atelier_card_changed()
        self.assertEqual(self.card_messages(), [])
