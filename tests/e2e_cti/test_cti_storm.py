# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Several events at once against a real, multi-threaded Odoo (issue #10,
item 26): six missed calls of one contact the line's owner does not follow
yet, released together. Each gets a 200, its call and its call-back;
nothing is logged as an error. And every answer of the endpoint is JSON."""

import hashlib
import hmac
import json
import threading
import time
import uuid
from datetime import datetime, timezone

import requests

STORM = 6


def _post(odoo, payload, secret=None):
    body = json.dumps(payload).encode()
    timestamp = str(int(time.time()))
    mac = hmac.new(
        (secret or odoo["line_secret"]).encode(),
        timestamp.encode() + b"." + body,
        hashlib.sha256,
    )
    return requests.post(
        odoo["url"] + "/atelier/cti/v1/events",
        data=body,
        timeout=60,
        headers={
            "Content-Type": "application/json",
            "X-Atelier-Line": odoo["line_code"],
            "X-Atelier-Timestamp": timestamp,
            "X-Atelier-Signature": "sha256=" + mac.hexdigest(),
            "X-Odoo-Database": odoo["db"],
        },
    )


def _missed(number, call_id):
    return {
        "event_id": f"{call_id}-missed",
        "event": "missed",
        "call_id": call_id,
        "from": number,
        "to": "+33472000000",
        "at": datetime.now(timezone.utc).isoformat(),
    }


def test_missed_calls_of_one_contact_at_once(odoo):
    rpc = odoo["rpc"]
    number = "+33655" + str(uuid.uuid4().int)[:6]
    partner = rpc.call(
        "res.partner", "create", {"name": "Storm Caller", "phone": number}
    )
    prefix = "storm-" + uuid.uuid4().hex[:8]
    barrier = threading.Barrier(STORM)
    answers = [None] * STORM

    def deliver(index):
        payload = _missed(number, f"{prefix}-{index}")
        barrier.wait()
        answers[index] = _post(odoo, payload)

    log_start = odoo["log"].stat().st_size
    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(STORM)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    statuses = [(a.status_code, a.text[:200]) for a in answers]
    assert [status for status, _text in statuses] == [200] * STORM, statuses
    assert all(a.json()["partner_ids"] == [partner] for a in answers)

    calls = rpc.search_read(
        "atelier.call",
        [("provider_call_id", "like", prefix)],
        ["state", "partner_id", "callback_activity_id"],
    )
    assert len(calls) == STORM
    assert {c["state"] for c in calls} == {"missed"}
    assert all(c["callback_activity_id"] for c in calls)
    activities = rpc.search_read(
        "mail.activity",
        [("res_model", "=", "res.partner"), ("res_id", "=", partner)],
        ["user_id"],
    )
    assert len(activities) == STORM
    assert {a["user_id"][0] for a in activities} == {odoo["claire_id"]}
    claire_partner = rpc.search_read(
        "res.users", [("id", "=", odoo["claire_id"])], ["partner_id"]
    )[0]["partner_id"][0]
    followers = rpc.search_read(
        "mail.followers",
        [
            ("res_model", "=", "res.partner"),
            ("res_id", "=", partner),
            ("partner_id", "=", claire_partner),
        ],
        ["id"],
    )
    assert len(followers) == 1
    with open(odoo["log"], encoding="utf-8", errors="replace") as log:
        log.seek(log_start)
        errors = [line for line in log if " ERROR " in line or " CRITICAL " in line]
    assert not errors, errors


def test_every_refusal_is_json(odoo):
    ping = _post(odoo, {"event": "ping"})
    assert ping.status_code == 200
    assert ping.json() == {"ping": "ok", "line": odoo["line_code"]}
    for response, status in (
        (_post(odoo, {"event": "ping"}, secret="not-the-secret"), 401),
        (_post(odoo, {"event": "nonsense"}), 400),
    ):
        assert response.status_code == status
        assert response.headers["Content-Type"].startswith("application/json")
        assert response.json()["error"]
