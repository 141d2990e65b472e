# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import logging
import time
from datetime import timedelta

import requests

from odoo import api, fields, models

from .atelier_career_webhook import sign

_logger = logging.getLogger(__name__)

TIMEOUT = 10
BACKOFF_SECONDS = 60  # then x5: 1 min, 5 min, 25 min, ~2 h…
MAX_ATTEMPTS = 8
BATCH = 50


class AtelierCareerWebhookDelivery(models.Model):
    """One event to post to one endpoint, retried with back-off."""

    _name = "atelier.career.webhook.delivery"
    _description = "Webhook delivery"
    _order = "id desc"

    webhook_id = fields.Many2one(
        "atelier.career.webhook", required=True, index=True, ondelete="cascade"
    )
    event = fields.Char(required=True)
    payload = fields.Json(required=True)
    state = fields.Selection(
        [("pending", "Pending"), ("done", "Delivered"), ("failed", "Given up")],
        default="pending",
        required=True,
        index=True,
    )
    attempts = fields.Integer()
    next_attempt = fields.Datetime(default=fields.Datetime.now, index=True)
    last_status = fields.Integer()
    last_error = fields.Char()

    @api.model
    def _cron_deliver(self):
        due = self.sudo().search(
            [
                ("state", "=", "pending"),
                ("next_attempt", "<=", fields.Datetime.now()),
                ("webhook_id.active", "=", True),
            ],
            limit=BATCH,
            order="next_attempt, id",
        )
        for delivery in due:
            delivery._deliver()
        return due

    def _body(self):
        return json.dumps(self.payload, ensure_ascii=False, sort_keys=True).encode()

    def _deliver(self):
        """Post once; on failure, schedule the next try (back-off) or give
        up, and count the endpoint's failure."""
        self.ensure_one()
        webhook = self.webhook_id.sudo()
        if not webhook.active:  # disabled during this batch
            return False
        body = self._body()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Atelier-Career-Webhook/1.0",
            "X-Atelier-Event": self.event,
            "X-Atelier-Delivery": str(self.id),
            "X-Atelier-Timestamp": timestamp,
            "X-Atelier-Signature": sign(webhook.secret, timestamp, body),
        }
        error, status = "", 0
        problem = webhook._url_problem(webhook.url)
        if problem:
            error = problem
        else:
            try:
                response = requests.post(
                    webhook.url,
                    data=body,
                    headers=headers,
                    timeout=TIMEOUT,
                    allow_redirects=False,
                )
                status = response.status_code
                if not 200 <= status < 300:
                    error = f"HTTP {status}"
            except requests.RequestException as exc:
                error = type(exc).__name__
        self.attempts += 1
        if not error:
            self.write({"state": "done", "last_status": status, "last_error": False})
            webhook.failure_count = 0
            return True
        _logger.info(
            "Career webhook %s: delivery %s failed (%s)", webhook.id, self.id, error
        )
        delay = BACKOFF_SECONDS * 5 ** (self.attempts - 1)
        self.write(
            {
                "last_status": status,
                "last_error": error[:200],
                "state": "failed" if self.attempts >= MAX_ATTEMPTS else "pending",
                "next_attempt": fields.Datetime.now() + timedelta(seconds=delay),
            }
        )
        webhook._record_failure(error)
        return False
