# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Settings connect the OBD bridge without odoo shell (issue #10, item 17):
its user, its API keys shown once and rotated, the endpoint, a configuration
to paste, the last delivery."""

import json
from datetime import datetime, timedelta, timezone

from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, get_db_name, new_test_user, tagged

from .common import ObdDataMixin


@tagged("post_install", "-at_install")
class TestBridgeSettings(ObdDataMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_obd_data()
        # a database without bridge user yet (the mixin made one: set aside)
        cls.bridge_user.active = False
        cls.env["ir.config_parameter"].set_param(
            "atelier_fleet_obd.bridge_user_id", False
        )
        cls.admin = cls.env.ref("base.user_admin")
        cls.Keys = cls.env["res.users.apikeys"]

    def settings(self, user=None):
        return self.env["res.config.settings"].with_user(user or self.admin).create({})

    def valid(self, key):
        return self.Keys._check_credentials(scope="rpc", key=key)

    def post(self, key, payload):
        return self.url_open(
            "/json/2/atelier.obd.session/ingest",
            data=json.dumps({"payload": payload}),
            headers={
                "Authorization": f"bearer {key}",
                "X-Odoo-Database": get_db_name(),
                "Content-Type": "application/json",
            },
        )

    def test_connect_the_bridge_from_settings(self):
        settings = self.settings()
        self.assertFalse(settings.atelier_obd_bridge_user_id)
        self.assertFalse(settings.atelier_obd_last_ingest)
        settings.action_atelier_obd_create_bridge_user()
        settings = self.settings()
        bridge = settings.atelier_obd_bridge_user_id
        self.assertTrue(bridge.login.startswith("obd-bridge"))
        self.assertEqual(
            bridge.group_ids, self.env.ref("atelier_fleet_obd.group_obd_bridge")
        )
        self.assertFalse(bridge._is_internal() or bridge._is_portal())
        self.assertTrue(
            settings.atelier_obd_bridge_endpoint.endswith(
                "/json/2/atelier.obd.session/ingest"
            )
        )

        # a key, shown once with the configuration to paste
        action = settings.action_atelier_obd_new_bridge_key()
        self.assertEqual(action["res_model"], "atelier.obd.bridge.key")
        first = action["context"]["default_key"]
        # the administrator sees it in the dialog the action opens
        shown = Form(
            self.env[action["res_model"]]
            .with_user(self.admin)
            .with_context(**action["context"])
        )
        self.assertEqual(shown.key, first)
        config = action["context"]["default_bridge_config"]
        self.assertEqual(self.valid(first), bridge.id)
        for expected in (
            f'api_key = "{first}"',
            f'login = "{bridge.login}"',
            f'db = "{get_db_name()}"',
            'transport = "json2"',
        ):
            self.assertIn(expected, config)
        expiry = datetime.fromisoformat(action["context"]["default_expiration_date"])
        self.assertGreater(expiry, datetime.now() + timedelta(days=360))
        self.assertNotIn(first, self.settings().atelier_obd_bridge_config)

        # the key works for the bridge, over JSON-2
        start = datetime.now(timezone.utc) - timedelta(minutes=5)
        payload = self.make_payload(
            started_at=start, readings=self.rpm_readings(start, 3)
        )
        response = self.post(first, payload)
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertTrue(self.settings().atelier_obd_last_ingest)

        # rotation: a second key, both valid until the older is revoked
        second = settings.action_atelier_obd_new_bridge_key()["context"]["default_key"]
        self.assertEqual(
            (self.valid(first), self.valid(second)), (bridge.id, bridge.id)
        )
        self.assertEqual(self.settings().atelier_obd_bridge_key_count, 2)
        settings.action_atelier_obd_revoke_old_keys()
        self.assertFalse(self.valid(first))
        self.assertEqual(self.valid(second), bridge.id)
        self.assertEqual(self.settings().atelier_obd_bridge_key_count, 1)
        refused = self.post(first, self.make_payload(started_at=start))
        self.assertEqual(refused.status_code, 401)

    def test_only_an_administrator(self):
        settings = self.settings()
        manager = new_test_user(
            self.env, login="obd_settings_manager", groups="atelier_base.group_manager"
        )
        for user in (self.technician, manager, self.portal_a):
            for method in (
                "action_atelier_obd_create_bridge_user",
                "action_atelier_obd_new_bridge_key",
                "action_atelier_obd_revoke_old_keys",
            ):
                with (
                    self.subTest(user=user.login, method=method),
                    self.assertRaises(AccessError),
                ):
                    getattr(settings.with_user(user), method)()
        self.assertFalse(self.env["res.users"]._atelier_obd_bridge_user())
