# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

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


@tagged("post_install", "-at_install")
class TestPublicMethods(AtelierBaseCase):
    """Every public method of atelier_base, called over RPC by a portal
    user, a coach and a technical user (like the OBD bridge's) on records
    they do not own (issue #10, security)."""

    ORM_OVERRIDES = {"create", "write", "unlink", "set_values"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.coach = new_test_user(
            cls.env, login="t_coach", groups="atelier_base.group_coach"
        )
        group = cls.env.ref(
            "atelier_fleet_obd.group_obd_bridge", raise_if_not_found=False
        ) or cls.env["res.groups"].create({"name": "Technical t_bridge"})
        cls.bridge = cls.env["res.users"].create(
            {"name": "Bridge", "login": "t_bridge", "group_ids": [(6, 0, group.ids)]}
        )
        cls.client = cls._partner("Client", phone="06 12 34 56 78", email="c@x.fr")

    def test_every_public_method_is_audited(self):
        defined = set()
        for model_name in self.env.registry:
            for cls in type(self.env[model_name]).__mro__:
                if not cls.__module__.startswith("odoo.addons.atelier_base."):
                    continue
                defined.update(
                    (model_name, name)
                    for name, attr in vars(cls).items()
                    if callable(attr)
                    and not name.startswith("_")
                    and not getattr(attr, "_api_private", False)
                    and name not in self.ORM_OVERRIDES
                )
        self.assertEqual(
            defined,
            {
                ("res.partner", "atelier_get_card"),
                ("res.config.settings", "action_atelier_rebuild_phone_index"),
            },
        )

    def test_card_of_someone_else(self):
        for user in (self.portal, self.bridge):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.client.with_user(user).atelier_get_card()
        # a coach reads contacts, as every internal user: his card holds
        # nothing he could not open himself
        card = self.client.with_user(self.coach).atelier_get_card()
        for section in card["sections"]:
            for item in section["items"]:
                if item.get("res_model"):
                    record = self.env[item["res_model"]].browse(item["res_id"])
                    record.with_user(self.coach).check_access("read")

    def test_settings_are_for_administrators(self):
        region = self.env["ir.config_parameter"].get_param(
            "atelier_base.default_phone_region"
        )
        rows = self.env["atelier.phone.index"].search([]).ids
        Settings = self.env["res.config.settings"]
        for user in (self.portal, self.coach, self.bridge, self.manager):
            with self.subTest(user=user.login):
                # no record needed over RPC: an empty recordset
                with self.assertRaises(AccessError):
                    Settings.with_user(user).action_atelier_rebuild_phone_index()
                with self.assertRaises(AccessError):
                    Settings.with_user(user).set_values()
        self.assertEqual(
            self.env["ir.config_parameter"].get_param(
                "atelier_base.default_phone_region"
            ),
            region,
        )
        self.assertEqual(self.env["atelier.phone.index"].search([]).ids, rows)
