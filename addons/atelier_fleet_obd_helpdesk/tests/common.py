# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user

from odoo.addons.atelier_fleet_obd.tests.common import setup_diagnosed_vehicle


def setup_vehicle_with_codes(env, prefix):
    """A client's vehicle, one diagnostic session with two trouble codes."""
    owner = env["res.partner"].create(
        {"name": "Taxi Alpha", "is_company": True, "email": f"{prefix}@example.com"}
    )
    vehicle, session, misfire_line = setup_diagnosed_vehicle(
        env,
        prefix,
        owner,
        "AA-111-AA",
        "P0301",
        {
            "title": "Cylinder 1 misfire detected",
            "severity": "high",
            "description": "The engine computer saw cylinder 1 misfire.",
        },
    )
    now = fields.Datetime.now()
    unknown_line = env["atelier.obd.session.dtc"].create(
        {
            "session_id": session.id,
            "code": "P3F00",
            "status": "pending",
            "first_seen": now - timedelta(minutes=30),
            "last_seen": now - timedelta(minutes=30),
        }
    )
    technician = new_test_user(
        env,
        login=f"{prefix}_tech",
        name="Gaetan",
        groups="atelier_base.group_technician",
    )
    assistant = new_test_user(
        env,
        login=f"{prefix}_claire",
        name="Claire",
        groups="atelier_base.group_assistant",
    )
    return {
        "owner": owner,
        "vehicle": vehicle,
        "session": session,
        "misfire_line": misfire_line,
        "unknown_line": unknown_line,
        "technician": technician,
        "assistant": assistant,
    }
