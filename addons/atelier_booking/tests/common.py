# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime, timedelta

from odoo.tests import new_test_user

from ..tools import availability as engine

PARIS = "Europe/Paris"


def next_weekday(start, weekday=0, weeks=1):
    """The ``weekday`` at least ``weeks`` weeks after ``start``."""
    day = start + timedelta(weeks=weeks)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def paris(day, hour, minute=0):
    """UTC naive datetime of a Paris wall time."""
    return engine.local_to_utc(day, hour + minute / 60, engine.get_zone(PARIS))


def setup_booking_data(env, prefix="bk"):
    """Users, a 09-12 / 14-17 weekday calendar and a published type.

    Returns a dict; nothing relies on demo data.
    """
    calendar = env["resource.calendar"].create(
        {
            "name": f"{prefix} weekdays",
            "tz": PARIS,
            "attendance_ids": [
                (
                    0,
                    0,
                    {
                        "name": f"{d} {p}",
                        "dayofweek": str(d),
                        "hour_from": h0,
                        "hour_to": h1,
                        "day_period": p,
                    },
                )
                for d in range(5)
                for h0, h1, p in ((9, 12, "morning"), (14, 17, "afternoon"))
            ],
        }
    )
    claire = new_test_user(
        env,
        login=f"{prefix}_claire",
        groups="atelier_base.group_assistant",
        name="Claire",
        email=f"{prefix}.claire@example.com",
        tz=PARIS,
    )
    technicians = env["res.users"]
    for name in ("Gaetan", "Hugo"):
        technicians |= new_test_user(
            env,
            login=f"{prefix}_{name.lower()}",
            groups="atelier_base.group_technician",
            name=name,
            email=f"{prefix}.{name.lower()}@example.com",
            tz=PARIS,
        )
    portal = new_test_user(
        env,
        login=f"{prefix}_portal",
        groups="base.group_portal",
        name="Marc Client",
        email=f"{prefix}.marc@example.com",
    )
    appointment_type = env["atelier.appointment.type"].create(
        {
            "name": f"{prefix} diagnostic",
            "duration": 60,
            "slot_step": 60,
            "buffer_before": 0,
            "buffer_after": 30,
            "min_notice_hours": 2,
            "max_horizon_days": 60,
            "technician_ids": [(6, 0, technicians.ids)],
            "is_published": True,
            "ask_vehicle": "optional",
        }
    )
    resources = env["resource.resource"].search([("user_id", "in", technicians.ids)])
    resources.write({"calendar_id": calendar.id, "tz": PARIS})
    client = env["res.partner"].create(
        {
            "name": "Jeanne Client",
            "email": f"{prefix}.jeanne@example.com",
            "phone": "+33 6 12 34 56 78",
        }
    )
    return {
        "calendar": calendar,
        "claire": claire,
        "gaetan": technicians[0],
        "hugo": technicians[1],
        "technicians": technicians,
        "portal": portal,
        "type": appointment_type,
        "client": client,
        "resources": resources,
    }


def a_monday():
    """A Monday two to three weeks ahead: inside notice and horizon."""
    return next_weekday(date.today(), 0, weeks=2)


def at(day, hour):
    return datetime.combine(day, datetime.min.time()) + timedelta(hours=hour)
