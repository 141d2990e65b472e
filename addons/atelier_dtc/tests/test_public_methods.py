# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import inspect

from odoo import models
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AtelierDtcCase


def public_methods(env, addon):
    """The RPC-callable methods ``addon`` defines (see atelier_fleet_obd's)."""
    orm_names = set(dir(models.BaseModel))
    found = set()
    for model_name in env.registry:
        for klass in type(env[model_name]).__mro__:
            if not klass.__module__.startswith(f"odoo.addons.{addon}."):
                continue
            for name, value in vars(klass).items():
                func = getattr(value, "__func__", value)
                if (
                    not name.startswith("_")
                    and name not in orm_names
                    and inspect.isfunction(func)
                    and not getattr(func, "_api_private", False)
                ):
                    found.add((model_name, name))
    return found


@tagged("post_install", "-at_install")
class TestPublicMethods(AtelierDtcCase):
    def test_every_public_method_refuses_who_it_is_not_for(self):
        self.assertEqual(
            public_methods(self.env, "atelier_dtc"),
            {("atelier.dtc.import", "action_import")},
        )
        wizard = (
            self.env["atelier.dtc.import"]
            .with_user(self.manager)
            .create(
                {
                    "data_file": base64.b64encode(self.sample_bytes("sample.csv")),
                    "filename": "sample.csv",
                }
            )
        )
        portal = self.env["res.users"].create(
            {
                "name": "dtc portal",
                "login": "dtc_portal",
                "group_ids": [(6, 0, self.env.ref("base.group_portal").ids)],
            }
        )
        coach = self.env["res.users"].create(
            {
                "name": "dtc coach",
                "login": "dtc_coach",
                "group_ids": [(6, 0, self.env.ref("atelier_base.group_coach").ids)],
            }
        )
        other_manager = self.env["res.users"].create(
            {
                "name": "dtc other manager",
                "login": "dtc_other_manager",
                "group_ids": [(6, 0, self.env.ref("atelier_base.group_manager").ids)],
            }
        )
        for user in (portal, coach, self.technician, other_manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                wizard.with_user(user).action_import()
        self.assertEqual(wizard.state, "draft")
