# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, new_test_user

from .llm_server import LlmServer

# settings of a fast, patient-enough service for tests (seconds)
TEST_SETTINGS = {
    "atelier_ai.provider": "openai",
    "atelier_ai.model": "test-model",
    "atelier_ai.api_key": "sk-test-secret",
    "atelier_ai.timeout": "5",
    "atelier_ai.retries": "2",
    "atelier_ai.retry_backoff": "0.01",
    "atelier_ai.budget": "0",
    "atelier_ai.price_in": "0.5",
    "atelier_ai.price_out": "1.5",
}


class AtelierAiServerMixin:
    """A local OpenAI-compatible server for the whole class, the service
    pointed at it (``cls._ai_settings(**overrides)`` to change settings)."""

    @classmethod
    def _start_llm_server(cls):
        cls.llm = LlmServer().start()
        cls.addClassCleanup(cls.llm.stop)
        cls._ai_settings()

    @classmethod
    def _ai_settings(cls, **overrides):
        params = dict(TEST_SETTINGS, **{"atelier_ai.base_url": cls.llm.url})
        params.update({f"atelier_ai.{k}": v for k, v in overrides.items()})
        Param = cls.env["ir.config_parameter"].sudo()
        for key, value in params.items():
            Param.set_param(key, value)

    @classmethod
    def _go_offline(cls):
        cls.env["ir.config_parameter"].sudo().set_param(
            "atelier_ai.provider", "offline"
        )


class AtelierAiCase(AtelierAiServerMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.Ai = cls.env["atelier.ai"]
        cls.Usage = cls.env["atelier.ai.usage"]
        cls.feature = cls.env["atelier.ai.feature"].create(
            {"name": "Test feature", "code": "test_feature"}
        )
        cls.manager = new_test_user(
            cls.env, login="ai_manager", groups="atelier_base.group_manager"
        )
        cls.assistant = new_test_user(
            cls.env,
            login="ai_claire",
            name="Claire Assistante",
            groups="atelier_base.group_assistant",
        )
        cls.admin = new_test_user(
            cls.env, login="ai_admin", groups="base.group_system,base.group_user"
        )
        cls.portal = new_test_user(
            cls.env, login="ai_portal", groups="base.group_portal"
        )
        cls._start_llm_server()

    def setUp(self):
        super().setUp()
        self.llm.reset()

    def ask(self, content="Bonjour", user=None, **kw):
        Ai = self.Ai.with_user(user) if user else self.Ai
        kw.setdefault("fallback", "réponse hors ligne")
        return Ai._complete(
            "test_feature", [{"role": "user", "content": content}], **kw
        )

    def usage(self, answer):
        return self.Usage.browse(answer.usage_id)
