# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import date, datetime, timedelta

from odoo.exceptions import AccessError
from odoo.service.model import get_public_method
from odoo.tests import HttpCase, new_test_user

from ..tools import availability as engine

PARIS = "Europe/Paris"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


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


# ----------------------------------------------------------------------
# RPC audit: the public methods of a model, called by users who must be
# refused
# ----------------------------------------------------------------------
# ORM entry points an addon overrides: the ORM checks their caller itself
ORM_METHODS = frozenset(
    {"create", "write", "unlink", "copy", "read", "search", "default_get"}
)


def atelier_public_methods(model, module):
    """Names of the methods of ``model`` that RPC can call (no leading
    underscore, not @api.private) and that addon ``module`` defines."""
    names = set()
    prefix = f"odoo.addons.{module}."
    for cls in type(model).mro():
        if not cls.__module__.startswith(prefix):
            continue
        for name, value in vars(cls).items():
            if not callable(value) or name in ORM_METHODS:
                continue
            try:
                get_public_method(model, name)
            except (AccessError, AttributeError):
                continue
            names.add(name)
    return names


def probe_public_methods(case, user, probes):
    """Call every ``{(model, method): (record, args)}`` of ``probes`` as
    ``user`` and assert an AccessError (the caller's rights checked before
    anything is done)."""
    for (model, name), (record, args) in probes.items():
        with (
            case.subTest(user=user.login, method=f"{model}.{name}"),
            case.assertRaises(AccessError),
        ):
            getattr(record.with_user(user), name)(*args)


class BookingHttpCase(HttpCase):
    """The booking data of ``PREFIX`` and helpers to post the booking forms
    (with their CSRF token) as a browser does."""

    PREFIX = "bkhttp"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a French workshop: guests type French numbers ("06 …"), read with
        # the company's country (the database's company may have another
        # one, e.g. the one the generic chart of accounts gave it)
        cls.env.company.country_id = cls.env.ref("base.fr")
        cls.data = setup_booking_data(cls.env, prefix=cls.PREFIX)
        cls.type = cls.data["type"]
        cls.gaetan = cls.data["gaetan"]
        cls.monday = a_monday()
        cls.Booking = cls.env["atelier.booking"]

    def get(self, url, **kw):
        return self.url_open(url, allow_redirects=False, **kw)

    def csrf(self, url="/book"):
        match = CSRF_RE.search(self.url_open(url).text)
        return match and match.group(1)

    def post(self, url, data, csrf_page=None):
        page = csrf_page or f"/book/{self.type.id}?day={self.monday}"
        token = self.csrf(page)
        return self.url_open(
            url, data=dict(data, csrf_token=token), allow_redirects=False
        )

    def hold(self, start, **extra):
        return self.post(
            f"/book/{self.type.id}/hold",
            {"start": start.isoformat(), "tz": "Europe/Paris", **extra},
        )

    def book_as_guest(self, start, details):
        """Hold ``start`` and post ``details``: the response of the post."""
        response = self.hold(start)
        assert response.status_code == 303, response.text[:300]
        details_url = response.headers["Location"]
        return self.post(details_url, details, csrf_page=details_url)
