# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Appointments in the technicians' calendars become private busy time:
colleagues no longer read the client's name and request, and the client is
no longer an attendee of the technician's event."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    bookings = (
        env["atelier.booking"]
        .with_context(active_test=False)
        .search([("event_id", "!=", False)])
    )
    for booking in bookings:
        booking._event_env().browse(booking.event_id.id).write(
            {
                "privacy": "private",
                "partner_ids": [(6, 0, booking.technician_id.partner_id.ids)],
            }
        )
