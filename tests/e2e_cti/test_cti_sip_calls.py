# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Real SIP calls through Kamailio reach Odoo as signed CTI events.

SIPp plays the customer (UAC) and Claire's phone (UAS, extension 201);
Kamailio proxies the call and posts ``ringing``/``answered``/``hangup``/
``missed``, HMAC-signed, to ``/atelier/cti/v1/events``. The tests read what
Odoo made of them over JSON-RPC.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from .conftest import LINE_NUMBER, _stop, start_kamailio

CALL_FIELDS = [
    "state",
    "direction",
    "partner_id",
    "user_id",
    "caller_number",
    "callee_number",
    "duration",
    "routed_user_ids",
    "callback_activity_id",
    "event_ids",
    "line_id",
]


def get_call(odoo, provider_call_id):
    calls = odoo["rpc"].search_read(
        "atelier.call", [("provider_call_id", "=", provider_call_id)], CALL_FIELDS
    )
    assert len(calls) == 1, f"expected one call {provider_call_id}, got {calls}"
    return calls[0]


def event_types(odoo, call):
    events = odoo["rpc"].search_read(
        "atelier.call.event", [("id", "in", call["event_ids"])], ["event_type"]
    )
    return sorted(e["event_type"] for e in events)


def call_back_activities(odoo, res_model, res_id):
    return odoo["rpc"].search_read(
        "mail.activity",
        [("res_model", "=", res_model), ("res_id", "=", res_id)],
        ["activity_type_id", "user_id", "date_deadline", "summary"],
    )


def test_answered_call(odoo, kamailio, sip_call, claire_bus):
    call_id = sip_call(
        kamailio, "uac_answered.xml", "uas_answer.xml", "+33612345678", "answered"
    )
    call = get_call(odoo, call_id)
    assert call["state"] == "ended"
    assert call["direction"] == "inbound"
    assert call["line_id"][0] == odoo["line_id"]
    assert call["caller_number"] == "+33612345678"
    assert call["callee_number"] == LINE_NUMBER
    # the caller's mobile, typed "06 12 34 56 78" on the contact
    assert call["partner_id"][0] == odoo["marie_id"]
    # answered by extension 201, i.e. Claire; routed to her pop-up
    assert call["user_id"][0] == odoo["claire_id"]
    assert call["routed_user_ids"] == [odoo["claire_id"]]
    # SIPp talks for 2 s between ACK and BYE (times have a 1 s resolution)
    assert 1 <= call["duration"] <= 5
    assert event_types(odoo, call) == ["answered", "hangup", "ringing"]
    assert not call["callback_activity_id"]
    assert not call_back_activities(odoo, "res.partner", odoo["marie_id"])
    # Claire's open tab got the pop-up, then its updates, over the websocket
    payloads = claire_bus.call_payloads(call["id"], "ended")
    assert [p["state"] for p in payloads] == ["ringing", "answered", "ended"]
    assert [p["event"] for p in payloads] == ["ringing", "answered", "hangup"]
    assert payloads[0]["partner_id"] == odoo["marie_id"]
    assert payloads[0]["partner_name"] == "Marie Martin"
    assert payloads[0]["number"] == "+33612345678"
    assert payloads[1]["answered_by"]["id"] == odoo["claire_id"]


def test_missed_call_cancelled_by_the_caller(odoo, kamailio, sip_call, claire_bus):
    call_id = sip_call(
        kamailio, "uac_cancel.xml", "uas_no_answer.xml", "+33478123456", "cancel"
    )
    call = get_call(odoo, call_id)
    assert call["state"] == "missed"
    assert call["partner_id"][0] == odoo["garage_id"]
    assert not call["user_id"]
    assert call["duration"] == 0
    assert event_types(odoo, call) == ["missed", "ringing"]
    # a call-back for the line's owner, due today, on the customer
    activities = call_back_activities(odoo, "res.partner", odoo["garage_id"])
    assert len(activities) == 1
    activity = activities[0]
    assert call["callback_activity_id"][0] == activity["id"]
    assert activity["user_id"][0] == odoo["claire_id"]
    assert activity["activity_type_id"][0] == odoo["rpc"].ref(
        "mail.mail_activity_data_call"
    )
    # due today for Claire, the line's owner, who works in Paris
    today = datetime.now(ZoneInfo("Europe/Paris")).date()
    assert activity["date_deadline"] == today.isoformat()
    assert "+33478123456" in activity["summary"]
    payloads = claire_bus.call_payloads(call["id"], "missed")
    assert [p["state"] for p in payloads] == ["ringing", "missed"]
    assert payloads[0]["partner_name"] == "Garage Dupont"


def test_busy_call_from_unknown_number(odoo, kamailio, sip_call):
    call_id = sip_call(kamailio, "uac_busy.xml", "uas_busy.xml", "+33478554433", "busy")
    call = get_call(odoo, call_id)
    assert call["state"] == "missed"
    assert not call["partner_id"]
    assert call["caller_number"] == "+33478554433"
    assert event_types(odoo, call) == ["missed", "ringing"]
    # nobody owns the number: the call-back is on the call itself
    activities = call_back_activities(odoo, "atelier.call", call["id"])
    assert len(activities) == 1
    assert activities[0]["user_id"][0] == odoo["claire_id"]
    assert call["callback_activity_id"][0] == activities[0]["id"]
    assert "+33478554433" in activities[0]["summary"]


def test_wrong_secret_is_refused(odoo, kamailio, sip_call, tmp_path):
    """A Kamailio signing with another secret logs nothing in Odoo."""
    process, port, log_path = start_kamailio(
        odoo, tmp_path, "not-the-line-secret", kamailio["phone_port"]
    )
    try:
        call_id = sip_call(
            {**kamailio, "port": port, "log": log_path},
            "uac_busy.xml",
            "uas_busy.xml",
            "+33612345678",
            "forged",
        )
    finally:
        _stop(process)
    calls = odoo["rpc"].search_read(
        "atelier.call", [("provider_call_id", "=", call_id)], ["id"]
    )
    assert calls == []
    assert "HTTP 401" in log_path.read_text()
    assert "Invalid signature" in log_path.read_text()


@pytest.fixture(autouse=True)
def _odoo_log_clean(kamailio, odoo):
    yield
    # e.g. "cannot execute INSERT in a read-only transaction, retrying"
    bad = [
        line
        for line in odoo["log"].read_text().splitlines()
        if " WARNING " in line or " ERROR " in line or "Traceback" in line
    ]
    assert not bad, "Odoo logged:\n" + "\n".join(bad[:20])
