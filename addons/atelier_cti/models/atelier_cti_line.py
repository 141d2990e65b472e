# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import logging
import re
import time
import uuid

import requests

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.atelier_base.tools.phone import PhoneNormalizationError

from ..tools.events import EVENTS_PATH, sign

_logger = logging.getLogger(__name__)

ORIGINATE_TIMEOUT = 5
TEST_TIMEOUT = 10
_CODE_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class AtelierCtiLine(models.Model):
    """A telephony line: one PBX or cloud account posting signed events."""

    _name = "atelier.cti.line"
    _description = "Telephony line"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=False)
    code = fields.Char(
        required=True,
        copy=False,
        help="Sent by the telephony system in the X-Atelier-Line header.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    provider = fields.Char(
        required=True,
        default="generic",
        help="Label of the telephony system (asterisk, a cloud provider…). Call "
        "ids are unique per provider: give two PBXs two different labels.",
    )
    secret = fields.Char(
        groups="base.group_system",
        copy=False,
        prefetch=False,
        help="Shared secret for the HMAC signature; set it with the wizard.",
    )
    secret_set = fields.Boolean(
        string="Secret set", compute="_compute_secret_set", compute_sudo=True
    )
    previous_secret = fields.Char(
        string="Old secret",
        groups="base.group_system",
        copy=False,
        prefetch=False,
        help="The secret replaced by the last rotation, still accepted until "
        "its expiry so that the PBX can be updated without losing events.",
    )
    previous_secret_expiry = fields.Datetime(
        string="Old secret accepted until", groups="base.group_system", copy=False
    )
    webhook_url = fields.Char(
        string="Webhook URL",
        compute="_compute_connection",
        help="Where the telephony system posts the events of this line "
        "(from the web.base.url system parameter).",
    )
    database_name = fields.Char(
        string="Database",
        compute="_compute_connection",
        help="Send it in the X-Odoo-Database header when the server hosts "
        "several databases.",
    )
    curl_example = fields.Text(
        string="Example", compute="_compute_connection", groups="base.group_system"
    )
    last_event_at = fields.Datetime(
        string="Last event received", compute="_compute_last_event_at"
    )
    test_at = fields.Datetime(string="Last test", readonly=True, copy=False)
    test_result = fields.Char(string="Test result", readonly=True, copy=False)
    test_ok = fields.Boolean(string="Test passed", readonly=True, copy=False)
    numbers = fields.Char(
        help="The line's own numbers, comma separated; stored in E.164.",
    )
    user_ids = fields.Many2many(
        "res.users",
        "atelier_cti_line_user_rel",
        "line_id",
        "user_id",
        string="Routed to",
        help="Users who get the pop-up. Empty: every Assistant.",
    )
    owner_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        help="Gets the call-back activities of the missed calls.",
    )
    rate_limit = fields.Integer(
        string="Rate limit (events/minute)",
        default=600,
        help="Events accepted per minute on this line; more are refused (429).",
    )
    originate_url = fields.Char(
        string="PBX originate URL",
        groups="base.group_system",
        help="Click-to-dial: Odoo POSTs {call_id, from, to} here so the PBX "
        "dials. Empty: the browser opens a tel: link.",
    )
    has_originate = fields.Boolean(compute="_compute_has_originate", compute_sudo=True)
    call_count = fields.Integer(compute="_compute_call_count")

    _code_uniq = models.Constraint("UNIQUE (code)", "The line code must be unique.")
    _rate_limit_positive = models.Constraint(
        "CHECK (rate_limit > 0)", "The rate limit must be positive."
    )

    def _compute_secret_set(self):
        for line in self:
            line.secret_set = bool(line.sudo().secret)

    def _compute_connection(self):
        url = self._webhook_url()
        for line in self:
            line.webhook_url = url
            line.database_name = self.env.cr.dbname
            if self.env.user.has_group("base.group_system"):
                line.curl_example = line._curl_example(url)
            else:
                line.curl_example = False

    def _compute_last_event_at(self):
        last = dict(
            self.env["atelier.call.event"]
            .sudo()
            ._read_group(
                [("line_id", "in", self.ids)], ["line_id"], ["create_date:max"]
            )
        )
        for line in self:
            line.last_event_at = last.get(line)

    def _compute_has_originate(self):
        for line in self:
            line.has_originate = bool(line.sudo().originate_url)

    def _compute_call_count(self):
        counts = dict(
            self.env["atelier.call"]._read_group(
                [("line_id", "in", self.ids)], ["line_id"], ["__count"]
            )
        )
        for line in self:
            line.call_count = counts.get(line, 0)

    @api.constrains("code")
    def _check_code(self):
        for line in self:
            if not _CODE_RE.match(line.code or ""):
                raise ValidationError(
                    self.env._(
                        "The line code is sent in an HTTP header: use 1 to 64 "
                        "letters, digits, dots, dashes or underscores."
                    )
                )

    @api.constrains("numbers")
    def _check_numbers(self):
        for line in self:
            line._parse_numbers(line.numbers)

    @api.constrains("originate_url")
    def _check_originate_url(self):
        for line in self.sudo():
            url = line.originate_url
            if url and not url.lower().startswith(("http://", "https://")):
                raise ValidationError(
                    self.env._("The PBX originate URL must start with http(s)://.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("numbers"):
                vals["numbers"] = self._format_numbers(vals["numbers"])
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("numbers"):
            vals["numbers"] = self._format_numbers(vals["numbers"])
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_set_secret(self):
        """The secret wizard: generate the first secret, or rotate it."""
        self.ensure_one()
        self._check_admin()
        if self.secret_set:
            name = self.env._("Rotate the secret of %(line)s", line=self.name)
        else:
            name = self.env._("Generate the secret of %(line)s", line=self.name)
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "atelier.cti.line.secret",
            "view_mode": "form",
            "target": "new",
            "context": {"default_line_id": self.id},
        }

    def action_send_test_event(self):
        """Post a signed ``ping`` event to this line's webhook URL, over
        HTTP as the telephony system would, and show the answer: it proves
        the URL, the line code and the secret. Nothing is stored but the
        outcome on the line."""
        self.ensure_one()
        self._check_admin()
        ok, message = self._send_test_event()
        self.sudo().write(
            {"test_at": fields.Datetime.now(), "test_result": message, "test_ok": ok}
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if ok else "danger",
                "title": self.env._("Test event"),
                "message": message,
                "sticky": not ok,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_view_calls(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "atelier_cti.atelier_call_action"
        )
        action["domain"] = [("line_id", "=", self.id)]
        action["context"] = {"default_line_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    def _check_admin(self):
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(
                self.env._("Only administrators can connect a telephony line.")
            )

    @api.model
    def _webhook_url(self):
        return self.get_base_url().rstrip("/") + EVENTS_PATH

    def _curl_example(self, url):
        """A ready-to-run test of the line from a shell (``ping`` event)."""
        self.ensure_one()
        body = json.dumps(
            {"event_id": "ping-1", "event": "ping"}, separators=(",", ":")
        )
        return "\n".join(
            [
                "SECRET='<the secret of this line>'",
                f"BODY='{body}'",
                "TS=$(date +%s)",
                'SIG=$(printf \'%s.%s\' "$TS" "$BODY" | openssl dgst -sha256 '
                "-hmac \"$SECRET\" | sed 's/^.*= //')",
                f"curl -sS -X POST '{url}' \\",
                "  -H 'Content-Type: application/json' \\",
                f"  -H 'X-Atelier-Line: {self.code or ''}' \\",
                f"  -H 'X-Odoo-Database: {self.env.cr.dbname}' \\",
                '  -H "X-Atelier-Timestamp: $TS" \\',
                '  -H "X-Atelier-Signature: sha256=$SIG" \\',
                '  --data-binary "$BODY"',
                f'# {{"ping": "ok", "line": "{self.code or ""}"}}',
            ]
        )

    def _send_test_event(self):
        """``(ok, message)`` of a signed ping posted to the webhook URL."""
        self.ensure_one()
        secret = self.sudo().secret
        if not secret:
            return False, self.env._("Generate the line's secret first.")
        body = json.dumps(
            {"event_id": f"ping-{uuid.uuid4().hex}", "event": "ping"}
        ).encode()
        timestamp = str(int(time.time()))
        url = self._webhook_url()
        headers = {
            "Content-Type": "application/json",
            "X-Atelier-Line": self.code,
            "X-Atelier-Timestamp": timestamp,
            "X-Atelier-Signature": sign(secret, timestamp, body),
            "X-Odoo-Database": self.env.cr.dbname,
        }
        started = time.monotonic()
        try:
            response = requests.post(
                url, data=body, headers=headers, timeout=TEST_TIMEOUT
            )
        except requests.RequestException as exc:
            return False, self.env._(
                "%(url)s could not be reached: %(error)s. The telephony system "
                "must reach this URL too: check web.base.url and the proxy.",
                url=url,
                error=exc,
            )
        elapsed = round((time.monotonic() - started) * 1000)
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if response.status_code == 200 and answer.get("ping") == "ok":
            return True, self.env._(
                "%(url)s answered in %(ms)s ms: the line is connected (URL, code "
                "and secret are right).",
                url=url,
                ms=elapsed,
            )
        error = answer.get("error") or response.text[:200]
        return False, self.env._(
            "%(url)s answered HTTP %(status)s: %(error)s",
            url=url,
            status=response.status_code,
            error=error,
        )

    def _accepted_secrets(self):
        """The secrets a signature may use now: the current one, and the one
        replaced by the last rotation until its expiry."""
        self.ensure_one()
        line = self.sudo()
        secrets = [line.secret] if line.secret else []
        expiry = line.previous_secret_expiry
        if line.previous_secret and expiry and expiry > fields.Datetime.now():
            secrets.append(line.previous_secret)
        return secrets

    def _get_routed_users(self):
        """Users who get the pop-up of this line's calls."""
        self.ensure_one()
        if self.user_ids:
            # archived users drop out of the search (active_test)
            domain = Domain("id", "in", self.user_ids.ids)
        else:
            group = self.env["res.groups"].browse(
                self.env["ir.model.data"]._xmlid_to_res_id(
                    "atelier_base.group_assistant"
                )
            )
            # the users of the group or of a group implying it
            domain = Domain("group_ids", "in", group.all_implied_by_ids.ids) & Domain(
                "share", "=", False
            )
        # with their partner: the bus channel of a user
        return self.env["res.users"].sudo().search_fetch(domain, ["partner_id"])

    def _get_number_list(self):
        self.ensure_one()
        return [n for n in (self.numbers or "").split(",") if n]

    @api.model
    def _parse_numbers(self, text):
        Partner = self.env["res.partner"]
        numbers = []
        for chunk in (text or "").replace(";", ",").replace("\n", ",").split(","):
            chunk = chunk.strip()
            if not chunk:
                continue
            try:
                numbers.append(Partner._atelier_normalize_phone(chunk).e164)
            except PhoneNormalizationError:
                raise ValidationError(
                    self.env._("%(number)s is not a phone number.", number=chunk)
                ) from None
        return numbers

    @api.model
    def _format_numbers(self, text):
        return ",".join(dict.fromkeys(self._parse_numbers(text)))

    @api.model
    def _find_by_code(self, code):
        """The active line of this code, fetched with what an event needs."""
        if not code or len(code) > 64:
            return self.browse()
        return self.sudo().search_fetch(
            [("code", "=", code)],
            [
                "name",
                "code",
                "secret",
                "previous_secret",
                "previous_secret_expiry",
                "provider",
                "numbers",
                "owner_id",
                "rate_limit",
                "user_ids",
            ],
            limit=1,
        )

    def _cti_owner_tz(self):
        """Time zone of the line's owner (the hour of day of its calls)."""
        self.ensure_one()
        self.env["res.partner"].flush_model(["tz"])
        self.env.cr.execute(
            SQL(
                "SELECT p.tz FROM res_users u "
                "JOIN res_partner p ON p.id = u.partner_id WHERE u.id = %s",
                self.owner_id.id,
            )
        )
        row = self.env.cr.fetchone()
        return row[0] if row else False

    def _originate(self, call, from_number, to_number):
        """Ask the PBX to dial; returns an error message or False."""
        self.ensure_one()
        url = self.sudo().originate_url
        payload = {
            "call_id": call.provider_call_id,
            "from": from_number or "",
            "to": to_number,
            "user": self.env.user.login,
            "extension": self.env.user.atelier_cti_extension or "",
        }
        try:
            response = requests.post(url, json=payload, timeout=ORIGINATE_TIMEOUT)
        except requests.RequestException as exc:
            _logger.info("Originate on line %s failed: %s", self.code, exc)
            return self.env._("The PBX could not be reached: %(error)s", error=exc)
        if response.status_code >= 400:
            _logger.info(
                "Originate on line %s refused: HTTP %s", self.code, response.status_code
            )
            return self.env._(
                "The PBX refused the call (HTTP %(status)s): %(body)s",
                status=response.status_code,
                body=response.text[:200],
            )
        return False
