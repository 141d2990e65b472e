# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Telephony events: signature check and payload validation.

Plain Python, no Odoo import, so that the rules of the webhook can be read
and tested on their own. The controller turns :class:`CtiEventError` into a
JSON error answer with its HTTP status.
"""

import hashlib
import hmac
import json
import re
from datetime import datetime, timezone

EVENTS_PATH = "/atelier/cti/v1/events"
MAX_BODY_BYTES = 64 * 1024
MAX_AGE_SECONDS = 5 * 60
EVENT_TYPES = ("ringing", "answered", "hangup", "missed")
# tests the connection: answered {"ping": "ok", "line": <code>}, stores nothing
PING = "ping"
REQUIRED_FIELDS = ("event_id", "event", "call_id", "to", "at")
MAX_NUMBER_LENGTH = 64
# Numbers a PBX sends when the caller hides their identity
WITHHELD_NUMBERS = {"anonymous", "unknown", "restricted", "private", "unavailable"}
_ID_RE = re.compile(r"^[\x21-\x7e]{1,128}$")  # printable ASCII, no space
_AGENT_RE = re.compile(r"^[^\x00-\x1f\x7f]{1,128}$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_URL_RE = re.compile(r"^https?://[^\s\x00-\x1f\x7f]{1,2040}$", re.IGNORECASE)


class CtiEventError(Exception):
    """A refused request: ``status`` is the HTTP status to answer."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def sign(secret, timestamp, body):
    """``sha256=<hex>`` of HMAC-SHA256(secret, "<timestamp>.<raw body>")."""
    if isinstance(body, str):
        body = body.encode()
    mac = hmac.new(
        secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256
    )
    return "sha256=" + mac.hexdigest()


def check_signature(secrets, timestamp_header, signature_header, body, now=None):
    """Raise :class:`CtiEventError` (401) unless the request is signed and fresh.

    ``secrets``: the line's secret, or the list of the secrets accepted now
    (during a rotation, the new one and the old one until its expiry).
    """
    if isinstance(secrets, str):
        secrets = [secrets]
    secrets = [secret for secret in secrets or () if secret]
    if not secrets:
        raise CtiEventError(401, "This line has no secret: set one before use.")
    if not timestamp_header or not signature_header:
        raise CtiEventError(
            401, "Missing X-Atelier-Timestamp or X-Atelier-Signature header."
        )
    timestamp_header = timestamp_header.strip()
    if not timestamp_header.isascii() or not timestamp_header.isdigit():
        raise CtiEventError(401, "X-Atelier-Timestamp must be unix seconds.")
    if len(timestamp_header) > 12:
        raise CtiEventError(401, "X-Atelier-Timestamp is out of range.")
    timestamp = int(timestamp_header)
    now = int(now if now is not None else datetime.now(timezone.utc).timestamp())
    if abs(now - timestamp) > MAX_AGE_SECONDS:
        raise CtiEventError(
            401, "Request timestamp is more than 5 minutes away from the server time."
        )
    given = signature_header.strip().encode("utf-8", "replace")
    if not any(
        hmac.compare_digest(sign(secret, timestamp_header, body).encode(), given)
        for secret in secrets
    ):
        raise CtiEventError(401, "Invalid signature.")


def parse_body(body):
    """Decode and validate an event body; return a dict of clean values.

    Raises :class:`CtiEventError` (400) with a message naming the field.
    """
    try:
        data = json.loads(body.decode("utf-8") if isinstance(body, bytes) else body)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise CtiEventError(400, f"Malformed JSON: {exc}") from None
    if not isinstance(data, dict):
        raise CtiEventError(400, "The body must be a JSON object.")
    if data.get("event") == PING:
        # a test of the connection (URL, line, secret): nothing else needed
        return {"event": PING}
    missing = [name for name in REQUIRED_FIELDS if data.get(name) in (None, "")]
    if missing:
        raise CtiEventError(400, "Missing field(s): " + ", ".join(missing) + ".")
    clean = {}
    for name in ("event_id", "call_id"):
        value = data[name]
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not _ID_RE.match(value):
            raise CtiEventError(
                400, f"Field {name!r} must be 1 to 128 printable ASCII characters."
            )
        clean[name] = value
    event = data["event"]
    if event not in EVENT_TYPES:
        raise CtiEventError(
            400, "Field 'event' must be one of: " + ", ".join(EVENT_TYPES) + "."
        )
    clean["event"] = event
    for name in ("from", "to"):
        clean[name] = _parse_number(data.get(name), name)
    clean["at"] = parse_datetime(data["at"])
    agent = data.get("agent")
    if agent in (None, ""):
        clean["agent"] = None
    elif isinstance(agent, str) and _AGENT_RE.match(agent.strip() or "\x00"):
        clean["agent"] = agent.strip()
    else:
        raise CtiEventError(400, "Field 'agent' must be an extension or a login.")
    url = data.get("recording_url")
    if url in (None, ""):
        clean["recording_url"] = None
    elif isinstance(url, str) and _URL_RE.match(url):
        clean["recording_url"] = url
    else:
        raise CtiEventError(400, "Field 'recording_url' must be an http(s) URL.")
    return clean


def _parse_number(value, name):
    """The number as the PBX sent it, trimmed.

    Any text is a number here: a PBX passes on whatever the network gave
    it (national or international forms, short codes, SIP URIs, numbers
    libphonenumber does not know). Only a value that cannot be a caller ID
    at all is refused: not a text, over 64 characters, control characters.
    A missing, null or empty ``from`` is a withheld number (returned "").
    """
    if value is None:
        value = ""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if (
        not isinstance(value, str)
        or len(value) > MAX_NUMBER_LENGTH
        or _CONTROL_RE.search(value)
    ):
        raise CtiEventError(
            400,
            f"Field {name!r} must be a phone number: a text of at most "
            f"{MAX_NUMBER_LENGTH} characters without control characters.",
        )
    return value.strip()


def parse_datetime(value):
    """ISO 8601 text -> naive UTC datetime (naive input is read as UTC)."""
    if not isinstance(value, str) or len(value) > 40:
        raise CtiEventError(400, "Field 'at' must be an ISO 8601 date-time.")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CtiEventError(400, "Field 'at' must be an ISO 8601 date-time.") from None
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
        except OverflowError:
            raise CtiEventError(400, "Field 'at' is out of range.") from None
    if not 2000 <= moment.year <= 2999:
        raise CtiEventError(400, "Field 'at' is out of range.")
    return moment.replace(microsecond=0)


def is_withheld(number):
    return not number or number.strip().lower() in WITHHELD_NUMBERS
