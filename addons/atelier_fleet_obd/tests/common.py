# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import inspect
import uuid
from datetime import datetime, timedelta, timezone

from odoo import Command, fields, models
from odoo.tests import new_test_user

VIN_CLIO = "VF1RFB00X12345678"  # European: no check digit enforced
VIN_US = "1M8GDM9AXKP042788"  # North American, valid check digit X


def setup_diagnosed_vehicle(env, prefix, owner, plate, code, dtc_vals):
    """``(vehicle, session, line)``: ``owner``'s vehicle whose session of an
    hour ago reported ``code``, its reference (re)written with ``dtc_vals``."""
    brand = env["fleet.vehicle.model.brand"].create({"name": f"{prefix} Renault"})
    model = env["fleet.vehicle.model"].create({"name": "Clio", "brand_id": brand.id})
    vehicle = env["fleet.vehicle"].create(
        {"model_id": model.id, "license_plate": plate, "atelier_owner_id": owner.id}
    )
    Dtc = env["atelier.dtc"].with_context(active_test=False)
    dtc = Dtc.search([("code", "=", code)]) or Dtc.create(
        {"code": code, "title": dtc_vals["title"]}
    )
    dtc.write(dtc_vals)
    now = fields.Datetime.now()
    session = env["atelier.obd.session"].create(
        {
            "session_uuid": f"{prefix}-session-1",
            "vehicle_id": vehicle.id,
            "started_at": now - timedelta(hours=1),
        }
    )
    line = env["atelier.obd.session.dtc"].create(
        {
            "session_id": session.id,
            "code": code,
            "dtc_id": dtc.id,
            "status": "stored",
            "first_seen": now - timedelta(minutes=50),
            "last_seen": now - timedelta(minutes=40),
        }
    )
    return vehicle, session, line


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class ObdDataMixin:
    """Users, partners and vehicles of the diagnostics tests (no demo data)."""

    @classmethod
    def setup_obd_data(cls):
        env = cls.env
        cls.technician = new_test_user(
            env, login="obd_tech", groups="atelier_base.group_technician"
        )
        cls.manager = new_test_user(
            env, login="obd_manager", groups="atelier_base.group_manager"
        )
        cls.bridge_user = env["res.users"].create(
            {
                "name": "OBD bridge",
                "login": "obd_bridge",
                "password": "obd_bridge_pw_123",
                "group_ids": [
                    Command.set([env.ref("atelier_fleet_obd.group_obd_bridge").id])
                ],
            }
        )
        cls.client_a = env["res.partner"].create(
            {"name": "Taxi Alpha", "is_company": True, "email": "alpha@example.com"}
        )
        cls.client_b = env["res.partner"].create(
            {"name": "Bravo Livraisons", "is_company": True}
        )
        cls.portal_a = cls._portal_user("alpha", "Alice Alpha", cls.client_a)
        cls.portal_b = cls._portal_user("bravo", "Bob Bravo", cls.client_b)
        brand = env["fleet.vehicle.model.brand"].create({"name": "Renault"})
        model = env["fleet.vehicle.model"].create(
            {"name": "Clio", "brand_id": brand.id}
        )
        cls.vehicle_a = env["fleet.vehicle"].create(
            {
                "model_id": model.id,
                "license_plate": "AA-111-AA",
                "vin_sn": VIN_CLIO,
                "atelier_owner_id": cls.client_a.id,
            }
        )
        cls.vehicle_b = env["fleet.vehicle"].create(
            {
                "model_id": model.id,
                "license_plate": "BB-222-BB",
                "vin_sn": VIN_US,
                "atelier_owner_id": cls.client_b.id,
            }
        )

    @classmethod
    def _portal_user(cls, key, name, company):
        """``portal_<key>`` (password ``portal_<key>_pw_1``), contact of ``company``."""
        contact = cls.env["res.partner"].create({"name": name, "parent_id": company.id})
        return new_test_user(
            cls.env,
            login=f"portal_{key}",
            password=f"portal_{key}_pw_1",
            groups="base.group_portal",
            partner_id=contact.id,
        )

    @staticmethod
    def make_payload(
        session_uuid=None,
        vin=VIN_CLIO,
        started_at=None,
        readings=(),
        dtcs=(),
        events=(),
    ):
        started_at = started_at or datetime.now(timezone.utc) - timedelta(minutes=10)
        return {
            "bridge_id": "garage-1",
            "batch_uuid": str(uuid.uuid4()),
            "session_uuid": session_uuid or str(uuid.uuid4()),
            "vin": vin,
            "adapter": "ELM327 v1.5",
            "protocol": "ISO 15765-4 (CAN 11/500)",
            "started_at": iso(started_at),
            "readings": list(readings),
            "dtcs": list(dtcs),
            "events": list(events),
        }

    @staticmethod
    def rpm_readings(
        start,
        count,
        step=timedelta(milliseconds=250),
        pid="RPM",
        base=800.0,
        step_value=1.0,
    ):
        return [
            {
                "pid": pid,
                "ts": iso(start + i * step),
                "value": base + (i % 100) * step_value,
                "unit": "rpm",
            }
            for i in range(count)
        ]


def public_methods(env, addons):
    """``{(model, method)}``: the methods callable over RPC that ``addons``
    define (no leading underscore, not ``@api.private``, not an override of an
    ORM method, which the ORM's access checks guard)."""
    orm_names = set(dir(models.BaseModel))
    prefixes = tuple(f"odoo.addons.{addon}." for addon in addons)
    found = set()
    for model_name in env.registry:
        for klass in type(env[model_name]).__mro__:
            if not klass.__module__.startswith(prefixes):
                continue
            for name, value in vars(klass).items():
                func = getattr(value, "__func__", value)
                if (
                    name.startswith("_")
                    or name in orm_names
                    or not inspect.isfunction(func)
                    or getattr(func, "_api_private", False)
                ):
                    continue
                found.add((model_name, name))
    return found
