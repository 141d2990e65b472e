# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api
from odoo.modules.registry import Registry
from odoo.orm.environments import Transaction
from odoo.tests import new_test_user
from odoo.tests.common import BaseCase, TransactionCase, get_db_name


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


class AtelierCommittedCase(BaseCase):
    """Tests on real, committed transactions: concurrency, after-commit hooks.

    There is no test transaction. ``_setup_committed(env)`` commits the
    fixtures; ``_cleanup_committed(env)`` removes them after the class (its
    env sees archived records).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.addClassCleanup(cls._cleanup_class)
        with cls.registry.cursor() as cr:
            cls._setup_committed(cls._env(cr))

    @classmethod
    def _cleanup_class(cls):
        with cls.registry.cursor() as cr:
            cls._cleanup_committed(cls._env(cr, active_test=False))

    @classmethod
    def _setup_committed(cls, env):
        """Create the fixtures (committed after this call)."""

    @classmethod
    def _cleanup_committed(cls, env):
        """Remove what the class committed."""

    @classmethod
    def _env(cls, cr, **context):
        """A superuser env on ``cr``, one cursor per thread."""
        # bind the cursor to the loaded registry ourselves: Registry(dbname)
        # takes the registry lock, which the test runner holds while it runs
        # post-install tests
        if cr.transaction is None:
            cr.transaction = Transaction(cls.registry)
        return api.Environment(cr, api.SUPERUSER_ID, context)
