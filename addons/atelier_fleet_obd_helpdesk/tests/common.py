# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user


def setup_vehicle_with_codes(env, prefix):
    """A client's vehicle, one diagnostic session with two trouble codes."""
    owner = env["res.partner"].create(
        {"name": "Taxi Alpha", "is_company": True, "email": f"{prefix}@example.com"}
    )
    brand = env["fleet.vehicle.model.brand"].create({"name": f"{prefix} Renault"})
    model = env["fleet.vehicle.model"].create({"name": "Clio", "brand_id": brand.id})
    vehicle = env["fleet.vehicle"].create(
        {
            "model_id": model.id,
            "license_plate": "AA-111-AA",
            "atelier_owner_id": owner.id,
        }
    )
    Dtc = env["atelier.dtc"].with_context(active_test=False)
    misfire = Dtc.search([("code", "=", "P0301")]) or Dtc.create(
        {"code": "P0301", "title": "Cylinder 1 misfire detected"}
    )
    misfire.write(
        {
            "title": "Cylinder 1 misfire detected",
            "severity": "high",
            "description": "The engine computer saw cylinder 1 misfire.",
        }
    )
    now = fields.Datetime.now()
    session = env["atelier.obd.session"].create(
        {
            "session_uuid": f"{prefix}-session-1",
            "vehicle_id": vehicle.id,
            "started_at": now - timedelta(hours=1),
        }
    )
    lines = env["atelier.obd.session.dtc"].create(
        [
            {
                "session_id": session.id,
                "code": "P0301",
                "dtc_id": misfire.id,
                "status": "stored",
                "first_seen": now - timedelta(minutes=50),
                "last_seen": now - timedelta(minutes=40),
            },
            {
                "session_id": session.id,
                "code": "P3F00",
                "status": "pending",
                "first_seen": now - timedelta(minutes=30),
                "last_seen": now - timedelta(minutes=30),
            },
        ]
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
        "misfire_line": lines[0],
        "unknown_line": lines[1],
        "technician": technician,
        "assistant": assistant,
    }
