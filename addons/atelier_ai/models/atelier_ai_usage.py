# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

REASONS = [
    ("offline", "Offline provider"),
    ("disabled", "Feature switched off"),
    ("not_configured", "Provider not configured"),
    ("budget", "Monthly budget reached"),
    ("timeout", "No answer in time"),
    ("rate_limited", "Rate limited (429)"),
    ("server_error", "Server error (5xx)"),
    ("connection", "Connection failed"),
    ("http_error", "Request refused (4xx)"),
    ("invalid_json", "Invalid JSON"),
    ("schema_invalid", "JSON not matching the schema"),
    ("empty", "Empty answer"),
    ("interrupted", "Stream interrupted"),
    ("error", "Unexpected error"),
]
PURGE_BATCH = 5000


class AtelierAiUsage(models.Model):
    """One call of a feature: what was sent (redacted), what came back, its
    cost and its outcome. Written by the service only (sudo); readable by
    Atelier managers; purged after the retention set in Settings."""

    _name = "atelier.ai.usage"
    _description = "AI usage log"
    _order = "id desc"
    _rec_name = "feature_id"

    feature_id = fields.Many2one(
        "atelier.ai.feature", required=True, readonly=True, ondelete="cascade"
    )
    user_id = fields.Many2one("res.users", readonly=True)
    provider = fields.Selection(
        [("offline", "Offline"), ("openai", "OpenAI-compatible")], readonly=True
    )
    model_name = fields.Char(string="Model", readonly=True)
    stream = fields.Boolean(readonly=True)
    outcome = fields.Selection(
        [("ok", "Answered by the model"), ("fallback", "Offline answer")],
        required=True,
        readonly=True,
    )
    fallback_reason = fields.Selection(REASONS, readonly=True)
    detail = fields.Char(readonly=True)
    attempts = fields.Integer(readonly=True)
    tokens_in = fields.Integer(string="Tokens in", readonly=True)
    tokens_out = fields.Integer(string="Tokens out", readonly=True)
    latency_ms = fields.Integer(string="Latency (ms)", readonly=True, aggregator="avg")
    cost = fields.Float(string="Cost (EUR)", digits=(16, 6), readonly=True)
    redactions = fields.Char(string="Redacted", readonly=True)
    prompt = fields.Text(string="Prompt (redacted)", readonly=True)
    answer = fields.Text(string="Answer (redacted)", readonly=True)

    _create_date_idx = models.Index("(create_date)")
    # the budget sums the cost of the month's paid calls only
    _cost_month_idx = models.Index("(create_date) WHERE cost > 0")

    @api.model
    def _month_start(self):
        now = fields.Datetime.now()
        return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)

    @api.model
    def _month_cost(self):
        """What the paid calls of this calendar month (UTC) cost so far."""
        # on every paid call: one indexed sum, without the ORM's domain work
        self.flush_model(["cost"])
        self.env.cr.execute(
            SQL(
                "SELECT COALESCE(SUM(cost), 0) FROM atelier_ai_usage"
                " WHERE create_date >= %s AND cost > 0",
                self._month_start(),
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _cron_purge(self):
        """Delete the log lines older than the retention (days, Settings) and
        the rate-limit counters of past windows."""
        days = self.env["atelier.ai"]._settings()["retention_days"]
        limit = fields.Datetime.now() - timedelta(days=days)
        old = self.sudo().with_context(active_test=False)
        done = 0
        while days > 0:  # 0: kept for ever
            batch = old.search([("create_date", "<", limit)], limit=PURGE_BATCH)
            if not batch:
                break
            batch.unlink()
            done += len(batch)
            if self.env.context.get("ir_cron_progress_id"):
                self.env["ir.cron"]._commit_progress(len(batch))
        self.env["atelier.ai.rate"].sudo()._purge()
        return done
