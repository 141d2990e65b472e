# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier Booking - Helpdesk",
    "summary": "Satisfaction follow-up after appointments, book from a ticket",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": ["atelier_booking", "atelier_helpdesk"],
    "data": [
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "views/atelier_booking_views.xml",
        "views/helpdesk_ticket_views.xml",
    ],
    "auto_install": True,
}
