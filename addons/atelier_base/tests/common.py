# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase


class AtelierBaseCase(TransactionCase):
    """Users per role and a French company; no demo data needed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.fr = cls.env.ref("base.fr")
        cls.be = cls.env.ref("base.be")
        cls.ch = cls.env.ref("base.ch")
        cls.uk = cls.env.ref("base.uk")
        cls.env.company.country_id = cls.fr
        cls.Partner = cls.env["res.partner"]
        cls.assistant = new_test_user(
            cls.env, login="t_claire", groups="atelier_base.group_assistant"
        )
        cls.technician = new_test_user(
            cls.env, login="t_gaetan", groups="atelier_base.group_technician"
        )
        cls.manager = new_test_user(
            cls.env, login="t_manager", groups="atelier_base.group_manager"
        )
        cls.portal = new_test_user(
            cls.env, login="t_portal", groups="base.group_portal"
        )

    @classmethod
    def _partner(cls, name, **vals):
        return cls.Partner.create(dict(name=name, **vals))

    def find(self, number, **kw):
        return self.Partner._atelier_find_by_phone(number, **kw)
