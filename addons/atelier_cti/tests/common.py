# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import time
import uuid
from datetime import datetime, timedelta, timezone

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.atelier_cti.tools.events import sign

SECRET = "test-secret-0123456789abcdef"
URL = "/atelier/cti/v1/events"


class AtelierCtiCommon:
    """Users per role, a line and customers; built for every test class."""

    @classmethod
    def _setup_cti(cls):
        env = cls.env
        env.company.country_id = env.ref("base.fr")
        cls.claire = new_test_user(
            env,
            login="claire_cti",
            name="Claire Moreau",
            groups="base.group_user,atelier_base.group_assistant",
            tz="Europe/Paris",
        )
        cls.assistant2 = new_test_user(
            env,
            login="bruno_cti",
            name="Bruno Petit",
            groups="base.group_user,atelier_base.group_assistant",
        )
        cls.gaetan = new_test_user(
            env,
            login="gaetan_cti",
            name="Gaëtan Lefèvre",
            groups="base.group_user,atelier_base.group_technician",
        )
        cls.gaetan.atelier_cti_extension = "204"
        cls.portal = new_test_user(
            env, login="portal_cti", name="Paul Portal", groups="base.group_portal"
        )
        cls.coach = new_test_user(
            env,
            login="coach_cti",
            name="Colette Coach",
            groups="base.group_user,atelier_base.group_coach",
        )
        cls.bridge = technical_user(env, "bridge_cti")
        cls.admin = new_test_user(
            env,
            login="admin_cti",
            name="Ada Admin",
            groups="base.group_user,base.group_system,atelier_base.group_manager",
        )
        cls.line = env["atelier.cti.line"].create(
            {
                "name": "Front desk",
                "code": "front",
                "provider": "asterisk",
                "secret": SECRET,
                "numbers": "04 72 00 00 00",
                "owner_id": cls.claire.id,
                "user_ids": [(6, 0, [cls.claire.id, cls.assistant2.id])],
                "rate_limit": 1000,
            }
        )
        Partner = env["res.partner"]
        cls.garage = Partner.create(
            {
                "name": "Garage Dupont",
                "is_company": True,
                "phone": "04 78 12 34 56",
                "country_id": env.ref("base.fr").id,
            }
        )
        cls.marie = Partner.create(
            {
                "name": "Marie Martin",
                "mobile": "06 12 34 56 78",
                "country_id": env.ref("base.fr").id,
            }
        )
        # a switchboard number shared by two contacts
        cls.shared_a = Partner.create(
            {"name": "Cabinet Roux", "phone": "04 78 99 88 77"}
        )
        cls.shared_b = Partner.create({"name": "Dr Roux", "phone": "+33 4 78 99 88 77"})
        cls.unknown_number = "+33 4 78 55 44 33"


def technical_user(env, login):
    """A user like the OBD bridge's: neither internal nor portal, in a
    technical group with no access right (the bridge's own group when
    ``atelier_fleet_obd`` is installed)."""
    group = env.ref("atelier_fleet_obd.group_obd_bridge", raise_if_not_found=False)
    group = group or env["res.groups"].create({"name": f"Technical {login}"})
    return env["res.users"].create(
        {
            "name": f"Technical {login}",
            "login": login,
            "group_ids": [Command.set(group.ids)],
        }
    )


def event(event_type="ringing", call_id=None, event_id=None, **kwargs):
    payload = {
        "event_id": event_id or uuid.uuid4().hex,
        "event": event_type,
        "call_id": call_id or uuid.uuid4().hex,
        "from": "+33 6 12 34 56 78",
        "to": "+33 4 72 00 00 00",
        "at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
    }
    payload.update(kwargs)
    return payload


BASE = datetime.now(timezone.utc).replace(microsecond=0)


def at(seconds=0):
    """ISO time ``seconds`` from a fixed base (stable within a test run)."""
    return (BASE + timedelta(seconds=seconds)).isoformat()


def signed_headers(body, secret=SECRET, line="front", timestamp=None):
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    if isinstance(body, str):
        body = body.encode()
    return {
        "Content-Type": "application/json",
        "X-Atelier-Line": line,
        "X-Atelier-Timestamp": timestamp,
        "X-Atelier-Signature": sign(secret, timestamp, body),
    }


def dumps(payload):
    return json.dumps(payload).encode()


def public_methods(env, module):
    """{(model, method)} of the public methods that ``module``'s Python
    classes define, whatever the model (callable over RPC by anyone)."""
    found = set()
    prefix = f"odoo.addons.{module}."
    for model_name in env.registry:
        for cls in type(env[model_name]).__mro__:
            if not cls.__module__.startswith(prefix):
                continue
            for name, attr in vars(cls).items():
                if name.startswith("_") or not callable(attr):
                    continue
                if getattr(attr, "_api_private", False):
                    continue
                found.add((model_name, name))
    return found


# ORM overrides: the ORM checks the caller's rights (super() first), then
# the override works on what the caller could write.
ORM_OVERRIDES = {"create", "write", "unlink", "set_values"}
