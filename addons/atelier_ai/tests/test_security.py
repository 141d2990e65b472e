# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import inspect

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .. import models as addon_models
from .common import AtelierAiCase
from .llm_server import Reply


@tagged("post_install", "-at_install")
class TestSecurity(AtelierAiCase):
    def test_usage_log_for_managers_only(self):
        self.llm.push(Reply("ok"))
        usage = self.usage(self.ask())
        self.assertEqual(
            usage.with_user(self.manager).read(["prompt"])[0]["prompt"][:6], "[user]"
        )
        for user in (self.assistant, self.portal):
            with self.assertRaises(AccessError):
                usage.with_user(user).read(["prompt"])
        with self.assertRaises(AccessError):
            usage.with_user(self.manager).write({"cost": 0})
        with self.assertRaises(AccessError):
            self.Usage.with_user(self.manager).create(
                {"feature_id": self.feature.id, "outcome": "ok"}
            )

    def test_api_key_for_administrators_only(self):
        Settings = self.env["res.config.settings"]
        self.assertIn("atelier_ai_api_key", Settings.with_user(self.admin).fields_get())
        self.assertNotIn(
            "atelier_ai_api_key", Settings.with_user(self.manager).fields_get()
        )
        with self.assertRaises(AccessError):
            Settings.with_user(self.manager).create({})
        Param = self.env["ir.config_parameter"]
        with self.assertRaises(AccessError):
            Param.with_user(self.manager).get_param("atelier_ai.api_key")
        self.assertEqual(
            Settings.with_user(self.admin).create({}).atelier_ai_api_key,
            "sk-test-secret",
        )

    def test_features_written_by_administrators_only(self):
        self.feature.with_user(self.manager).read(["enabled"])
        with self.assertRaises(AccessError):
            self.feature.with_user(self.manager).write({"keep_phone": True})
        with self.assertRaises(AccessError):
            self.feature.with_user(self.assistant).read(["enabled"])
        self.feature.with_user(self.admin).write({"keep_phone": True})
        for user in (self.manager, self.admin):
            with self.assertRaises(AccessError):
                self.env["atelier.ai.feature"].with_user(user).create(
                    {"name": "x", "code": "x"}
                )
            with self.assertRaises(AccessError):
                self.feature.with_user(user).unlink()

    def test_test_connection_button_checks_the_caller(self):
        settings = self.env["res.config.settings"].with_user(self.admin).create({})
        with self.assertRaises(AccessError):
            settings.with_user(self.manager).action_atelier_ai_test_connection()
        self.llm.push(Reply("ok"))
        action = settings.action_atelier_ai_test_connection()
        self.assertEqual(action["params"]["type"], "success")

    def test_rate_counters_are_not_readable(self):
        with self.assertRaises(AccessError):
            self.env["atelier.ai.rate"].with_user(self.manager).search([])

    def test_public_methods_are_known(self):
        """Every public method of this addon's models is listed (and checked
        above); a new one must be reviewed for RPC access."""
        public = set()
        for module in (
            addon_models.atelier_ai,
            addon_models.atelier_ai_feature,
            addon_models.atelier_ai_usage,
            addon_models.atelier_ai_rate,
            addon_models.res_config_settings,
        ):
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ != module.__name__:
                    continue
                for name, member in vars(cls).items():
                    if callable(member) and not name.startswith("_"):
                        public.add(f"{cls.__name__}.{name}")
        self.assertEqual(
            public,
            {
                "ResConfigSettings.action_atelier_ai_test_connection",
                # ORM overrides (cache clearing), under the model's access
                # rights: administrators write, nobody creates or deletes
                "AtelierAiFeature.create",
                "AtelierAiFeature.write",
                "AtelierAiFeature.unlink",
            },
        )
