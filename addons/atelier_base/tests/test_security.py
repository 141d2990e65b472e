# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AtelierBaseCase


@tagged("post_install", "-at_install")
class TestSecurity(AtelierBaseCase):
    def test_group_implications(self):
        self.assertTrue(self.manager.has_group("atelier_base.group_assistant"))
        self.assertTrue(self.manager.has_group("atelier_base.group_technician"))
        self.assertTrue(self.manager.has_group("atelier_base.group_coach"))
        self.assertFalse(self.assistant.has_group("atelier_base.group_technician"))
        self.assertFalse(self.technician.has_group("atelier_base.group_assistant"))
        self.assertTrue(self.technician.has_group("base.group_user"))
        # Claire creates the contacts of new callers
        self.assertTrue(self.assistant.has_group("base.group_partner_manager"))
        self.env["res.partner"].with_user(self.assistant).create({"name": "Nouveau"})

    def test_index_is_read_only_for_internal_users(self):
        partner = self._partner("Client", phone="06 12 34 56 78", country_id=self.fr.id)
        row = partner.atelier_phone_index_ids
        self.assertEqual(row.with_user(self.assistant).e164, "+33612345678")
        with self.assertRaises(AccessError):
            row.with_user(self.assistant).write({"e164": "+33700000000"})
        with self.assertRaises(AccessError):
            self.env["atelier.phone.index"].with_user(self.assistant).create(
                {"partner_id": partner.id, "field_name": "phone", "e164": "+331"}
            )

    def test_portal_users_see_no_index(self):
        self._partner("Client", phone="06 12 34 56 78", country_id=self.fr.id)
        with self.assertRaises(AccessError):
            self.env["atelier.phone.index"].with_user(self.portal).search([])

    def test_lookup_respects_record_rules(self):
        partner = self._partner("Client", phone="06 12 34 56 78", country_id=self.fr.id)
        Partner = self.env["res.partner"].with_user(self.assistant)
        self.assertEqual(Partner._atelier_find_by_phone("+33612345678"), partner)

    def test_settings_menu_only_for_managers(self):
        menu = self.env.ref("atelier_base.atelier_menu_config")
        self.assertIn(self.env.ref("atelier_base.group_manager"), menu.group_ids)
        visible = self.env["ir.ui.menu"].with_user(self.assistant)._visible_menu_ids()
        self.assertNotIn(menu.id, visible)
        visible = self.env["ir.ui.menu"].with_user(self.manager)._visible_menu_ids()
        self.assertIn(menu.id, visible)
