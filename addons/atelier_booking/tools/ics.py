# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""iCalendar (RFC 5545 / iTIP RFC 5546) files for the client's agenda.

One booking is one event in the client's agenda: the same UID in every file,
a SEQUENCE that grows with every change. A confirmation or a move is a
``METHOD:REQUEST`` (the agenda adds or updates the event), a cancellation a
``METHOD:CANCEL`` with ``STATUS:CANCELLED`` (the agenda removes it). Only
what the client needs is written: no private contact data of the staff.
"""

from dataclasses import dataclass
from datetime import datetime, timezone

import pytz
import vobject

PRODID = "-//Atelier//Booking//FR"


@dataclass(frozen=True)
class IcsEvent:
    uid: str
    sequence: int
    start: datetime  # UTC naive
    stop: datetime  # UTC naive
    summary: str
    description: str = ""
    location: str = ""
    organizer_email: str = ""
    organizer_name: str = ""
    attendee_email: str = ""
    attendee_name: str = ""


def _utc(value):
    return pytz.utc.localize(value.replace(tzinfo=None, microsecond=0))


def _param(value):
    # iCalendar parameters cannot hold double quotes
    return (value or "").replace('"', "'")


def build(event: IcsEvent, method="REQUEST", stamp=None):
    """The .ics file (bytes, CRLF, folded at 75 octets) of ``event``:
    ``method`` is "REQUEST" (new or moved) or "CANCEL"."""
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"unknown iTIP method {method!r}")
    cal = vobject.iCalendar()
    cal.add("prodid").value = PRODID
    cal.add("method").value = method
    vevent = cal.add("vevent")
    vevent.add("uid").value = event.uid
    vevent.add("sequence").value = str(event.sequence)
    vevent.add("dtstamp").value = _utc(stamp or datetime.now(timezone.utc))
    vevent.add("dtstart").value = _utc(event.start)
    vevent.add("dtend").value = _utc(event.stop)
    vevent.add("summary").value = event.summary
    vevent.add("status").value = "CANCELLED" if method == "CANCEL" else "CONFIRMED"
    vevent.add("transp").value = "OPAQUE"
    if event.description:
        vevent.add("description").value = event.description
    if event.location:
        vevent.add("location").value = event.location
    if event.organizer_email:
        organizer = vevent.add("organizer")
        organizer.value = f"mailto:{event.organizer_email}"
        if event.organizer_name:
            organizer.params["CN"] = [_param(event.organizer_name)]
    if event.attendee_email:
        attendee = vevent.add("attendee")
        attendee.value = f"mailto:{event.attendee_email}"
        if event.attendee_name:
            attendee.params["CN"] = [_param(event.attendee_name)]
        attendee.params["ROLE"] = ["REQ-PARTICIPANT"]
        attendee.params["PARTSTAT"] = ["ACCEPTED"]
    return cal.serialize().encode()
