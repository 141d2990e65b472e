# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fuzzing the events endpoint: no 500, nothing half-written.

A table of nasty inputs, then Hypothesis generating signed bodies (random
JSON, and valid events with one field replaced by random data).
"""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import HttpCase, tagged

from odoo.addons.atelier_cti.tools.events import CtiEventError, parse_body

from .common import URL, AtelierCtiCommon, dumps, event, signed_headers

ACCEPTED = {200, 400, 401, 413, 429}

NASTY_BODIES = [
    b" ",
    b"null",
    b"0",
    b'"text"',
    b"{}",
    b"[]",
    b"{" * 5000,
    b"[" * 60000,
    b'{"event_id": "\x00"}',
    b"\xef\xbb\xbf{}",
    json.dumps({"a": "\ud800"}).encode(),
    b'{"event_id": 1e999}',
    b'{"event_id": NaN}',
    dumps(event(event_id=True)),
    dumps(event(event_id=10**40)),
    dumps(event(event_id="x" * 129)),
    dumps(event(event_id="é")),
    dumps(event(call_id={"a": 1})),
    dumps(event(event=None)),
    dumps(event(event="RINGING")),
    dumps(event(at="2026-02-30T10:00:00Z")),
    dumps(event(at="9999-12-31T23:59:59+14:00")),
    dumps(event(at="0001-01-01T00:00:00-12:00")),
    dumps(event(at=1700000000)),
    dumps(event(at="2026-01-01T10:00:00+25:00")),
    dumps(event(**{"from": "+" + "9" * 63})),
    dumps(event(**{"from": "+33 6 12 34 56 78 ext 999999"})),
    dumps(event(**{"from": "'; DROP TABLE atelier_call; --"})),
    dumps(event(**{"from": 33612345678})),
    dumps(event(**{"from": -1})),
    dumps(event(**{"from": 1.5})),
    dumps(event(to="")),
    dumps(event(to="00")),
    dumps(event(agent="\n")),
    dumps(event(agent="a" * 500)),
    dumps(event(agent=["x"])),
    dumps(event(recording_url="http://" + "a" * 3000)),
    dumps(event(recording_url="file:///etc/passwd")),
    dumps(event(recording_url=" https://x")),
    dumps({**event(), "extra": {"deep": [1, 2, {"x": None}]}}),
]


def endpoint_settings(max_examples):
    """Hypothesis settings of the HTTP fuzz tests (slow examples, shared
    fixtures, no example database on disk)."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
        ],
    )


@tagged("post_install", "-at_install")
class TestFuzzEndpoint(AtelierCtiCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_cti()

    def snapshot(self):
        self.env.invalidate_all()
        return tuple(
            self.env[model].sudo().search_count([])
            for model in ("atelier.call", "atelier.call.event", "mail.activity")
        )

    def check(self, body, headers=None):
        """Post ``body``; a refusal leaves the database as it was."""
        before = self.snapshot()
        hdrs = signed_headers(body)
        hdrs.update(headers or {})
        response = self.url_open(URL, data=body, headers=hdrs)
        self.assertIn(response.status_code, ACCEPTED, (body[:200], response.text[:300]))
        self.assertIn("application/json", response.headers.get("Content-Type", ""))
        payload = response.json()
        if response.status_code == 200 and "ping" in payload:
            self.assertEqual(payload, {"ping": "ok", "line": "front"})
        elif response.status_code == 200:
            self.assertIsInstance(payload["call_id"], int)
            self.assertIsInstance(payload["partner_ids"], list)
        else:
            self.assertIsInstance(payload["error"], str)
            self.assertEqual(self.snapshot(), before, body[:200])
        return response

    def test_nasty_bodies(self):
        statuses = [self.check(body).status_code for body in NASTY_BODIES]
        self.assertEqual(statuses[:8], [400] * 8)
        self.assertIn(200, statuses)  # extra fields are ignored

    def test_nasty_headers(self):
        body = dumps(event())
        for headers in (
            {"X-Atelier-Line": "x" * 5000},
            {"X-Atelier-Line": "front' OR 1=1 --"},
            {"X-Atelier-Timestamp": "-1"},
            {"X-Atelier-Timestamp": "9" * 400},
            {"X-Atelier-Timestamp": "1e9"},
            {"X-Atelier-Signature": "sha256="},
            {"X-Atelier-Signature": "sha1=abc"},
            {"X-Atelier-Signature": "é" * 64},
            {"Content-Type": "text/plain"},
            {"Content-Type": "application/x-www-form-urlencoded"},
        ):
            response = self.check(body, headers)
            if headers.get("Content-Type") == "text/plain":
                self.assertEqual(response.status_code, 200)
            else:
                self.assertEqual(response.status_code, 401, headers)

    @endpoint_settings(40)
    @given(
        st.recursive(
            st.none()
            | st.booleans()
            | st.integers()
            | st.floats()
            | st.text(max_size=30),
            lambda children: (
                st.lists(children, max_size=4)
                | st.dictionaries(
                    st.sampled_from(
                        ["event_id", "event", "call_id", "from", "to", "at", "agent"]
                    )
                    | st.text(max_size=8),
                    children,
                    max_size=8,
                )
            ),
            max_leaves=20,
        )
    )
    def test_random_json(self, value):
        self.check(json.dumps(value).encode())

    @endpoint_settings(60)
    @given(
        field=st.sampled_from(
            [
                "event_id",
                "event",
                "call_id",
                "from",
                "to",
                "at",
                "agent",
                "recording_url",
            ]
        ),
        value=st.none()
        | st.integers()
        | st.floats()
        | st.text(max_size=80)
        | st.from_regex(r"\+?[0-9 ().-]{0,25}", fullmatch=True)
        | st.lists(st.text(max_size=3), max_size=2),
    )
    def test_one_field_replaced(self, field, value):
        payload = event("ringing", call_id="fuzz-call")
        payload[field] = value
        self.check(dumps(payload))


@tagged("post_install", "-at_install")
class TestFuzzParser(HttpCase):
    """The parser alone: any bytes give a dict or a CtiEventError, nothing else."""

    @settings(max_examples=500, deadline=None, database=None)
    @given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
    def test_parse_body_total(self, body):
        try:
            data = parse_body(body)
        except CtiEventError as exc:
            self.assertEqual(exc.status, 400)
        else:
            self.assertEqual(
                set(data),
                {
                    "event_id",
                    "event",
                    "call_id",
                    "from",
                    "to",
                    "at",
                    "agent",
                    "recording_url",
                },
            )
