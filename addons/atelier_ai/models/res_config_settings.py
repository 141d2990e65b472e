# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import AccessError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    atelier_ai_provider = fields.Selection(
        [("offline", "Offline"), ("openai", "OpenAI-compatible")],
        string="AI provider",
        config_parameter="atelier_ai.provider",
        default="offline",
        help="Offline: no network; every feature answers from the knowledge "
        "base and its rules. OpenAI-compatible: OpenAI or a local server "
        "(Ollama, vLLM, llama.cpp).",
    )
    atelier_ai_base_url = fields.Char(
        string="Base URL",
        config_parameter="atelier_ai.base_url",
        help="For example https://api.openai.com/v1 or "
        "http://localhost:11434/v1 (Ollama).",
    )
    atelier_ai_model = fields.Char(string="Model", config_parameter="atelier_ai.model")
    atelier_ai_api_key = fields.Char(
        string="API key",
        config_parameter="atelier_ai.api_key",
        groups="base.group_system",
    )
    atelier_ai_json_mode = fields.Selection(
        [
            ("json_schema", "JSON schema (OpenAI, recent local servers)"),
            ("json_object", "JSON object (older servers)"),
            ("prompt", "Instructions only"),
        ],
        string="Structured answers",
        config_parameter="atelier_ai.json_mode",
        default="json_schema",
    )
    atelier_ai_timeout = fields.Float(
        string="Timeout (seconds)",
        config_parameter="atelier_ai.timeout",
        default=20.0,
        help="Longest wait for an answer, retries included; later, the "
        "feature answers offline.",
    )
    atelier_ai_retries = fields.Integer(
        string="Retries",
        config_parameter="atelier_ai.retries",
        default=2,
        help="New attempts after a 429 or 5xx answer, with a growing delay.",
    )
    atelier_ai_budget = fields.Float(
        string="Monthly budget (EUR)",
        config_parameter="atelier_ai.budget",
        default=0.0,
        help="Once this month's calls cost that much, features answer "
        "offline until the 1st. 0: no limit.",
    )
    atelier_ai_price_in = fields.Float(
        string="Price per 1,000 input tokens (EUR)",
        config_parameter="atelier_ai.price_in",
        digits=(16, 6),
    )
    atelier_ai_price_out = fields.Float(
        string="Price per 1,000 output tokens (EUR)",
        config_parameter="atelier_ai.price_out",
        digits=(16, 6),
    )
    atelier_ai_retention_days = fields.Integer(
        string="Keep the usage log (days)",
        config_parameter="atelier_ai.retention_days",
        default=90,
        help="Lines older than this are deleted every night. 0: kept for ever.",
    )
    atelier_ai_month_cost = fields.Float(
        string="Spent this month (EUR)",
        compute="_compute_atelier_ai_month_cost",
        digits=(16, 4),
    )

    def _compute_atelier_ai_month_cost(self):
        cost = self.env["atelier.ai.usage"]._month_cost()
        for settings in self:
            settings.atelier_ai_month_cost = cost

    def _atelier_ai_check_admin(self):
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(self.env._("Only administrators manage the AI settings."))

    def action_atelier_ai_test_connection(self):
        """Save the settings, then send one tiny request to the provider."""
        self._atelier_ai_check_admin()
        self.execute()
        ok, message = self.env["atelier.ai"]._test_connection()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if ok else "warning",
                "title": self.env._("AI provider"),
                "message": message,
                "sticky": not ok,
            },
        }
