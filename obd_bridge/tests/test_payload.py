# SPDX-License-Identifier: GPL-2.0-or-later
import pytest

from bridge_testkit import contract_errors
from obd_bridge.payload import (
    AnswerError,
    Dtc,
    Event,
    Reading,
    SessionInfo,
    build_payload,
    new_uuid,
    parse_answer,
    utc_iso,
)


def test_timestamps_are_utc_iso_with_milliseconds_and_z():
    assert utc_iso(0) == "1970-01-01T00:00:00.000Z"
    assert utc_iso(1795251601.25) == "2026-11-21T09:00:01.250Z"
    assert utc_iso(1795251601.9999) == "2026-11-21T09:00:01.999Z"


def test_a_built_payload_follows_the_contract():
    session = SessionInfo(
        "garage-1",
        new_uuid(),
        "2026-11-21T09:00:00.000Z",
        vin=None,
        adapter="ELM327 v1.5",
        protocol="ISO 15765-4 (CAN 11/500)",
    )
    items = [
        ("event", Event("connected", 1795251600, "ELM327 v1.5").as_item()),
        ("dtc", Dtc("P0301", "stored", 1795251600.5).as_item()),
        ("reading", Reading("RPM", 1795251601.25, 812.0, "rpm").as_item()),
    ]
    payload = build_payload(session.header(), new_uuid(), items)
    assert contract_errors(payload) == []
    assert payload["readings"] == [
        {"pid": "RPM", "ts": "2026-11-21T09:00:01.250Z", "value": 812.0, "unit": "rpm"}
    ]
    assert payload["vin"] is None


def test_answers_are_checked_against_the_contract():
    uuid = new_uuid()
    ok = {"batch_uuid": uuid, "status": "duplicate", "session_id": 4, "accepted": 0}
    answer = parse_answer(ok, uuid)
    assert (answer.status, answer.session_id, answer.rejected) == ("duplicate", 4, [])
    rejected = [{"index": 0, "kind": "reading", "reason": "unknown PID"}]
    assert parse_answer({**ok, "status": "stored", "rejected": rejected}, uuid).rejected
    for bad in (
        None,
        [],
        {**ok, "batch_uuid": new_uuid()},
        {**ok, "status": "queued"},
        {**ok, "session_id": "4"},
        {**ok, "session_id": True},
        {**ok, "rejected": "none"},
    ):
        with pytest.raises(AnswerError):
            parse_answer(bad, uuid)
