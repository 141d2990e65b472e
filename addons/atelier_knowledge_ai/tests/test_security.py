# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import inspect

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .. import models as addon_models
from .common import AlexCase


@tagged("post_install", "-at_install")
class TestSecurity(AlexCase):
    def test_public_methods_are_known(self):
        """Each public method is reviewed for RPC access: action_done checks
        write access (test_handoff); get_values/set_values are the settings'
        own (administrators only)."""
        public = set()
        for module in (
            addon_models.atelier_ai_alex,
            addon_models.atelier_alex_request,
            addon_models.ir_http,
            addon_models.res_config_settings,
        ):
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ == module.__name__:
                    public |= {
                        f"{cls.__name__}.{name}"
                        for name, member in vars(cls).items()
                        if callable(member) and not name.startswith("_")
                    }
        self.assertEqual(
            public,
            {
                "AtelierAlexRequest.action_done",
                "ResConfigSettings.get_values",
                "ResConfigSettings.set_values",
            },
        )

    def test_alex_settings_for_administrators_only(self):
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.manager).create(
                {"atelier_alex_website": False}
            )
        settings = self.env["res.config.settings"].create(
            {"atelier_alex_website": False}
        )
        settings.execute()
        self.assertFalse(self.Alex._settings()["website"])
        self.env["res.config.settings"].create({"atelier_alex_website": True}).execute()
        self.assertTrue(self.Alex._settings()["website"])
