# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier CTI - Helpdesk",
    "summary": "Open a ticket from a call: pop-up and call form, linked both ways",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": ["atelier_cti", "atelier_helpdesk"],
    "data": [
        "views/atelier_call_views.xml",
        "views/atelier_cti_line_views.xml",
        "views/helpdesk_ticket_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "atelier_cti_helpdesk/static/src/**/*",
        ],
    },
    "auto_install": True,
}
