# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier Beta - Helpdesk",
    "summary": "A beta bug the team accepts becomes a helpdesk ticket, "
    "linked both ways",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": ["atelier_beta", "atelier_helpdesk"],
    "data": [
        "data/helpdesk_ticket_team_data.xml",
        "views/atelier_beta_feedback_views.xml",
        "views/helpdesk_ticket_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "atelier_beta_helpdesk/static/tests/tours/**/*",
        ],
    },
    "auto_install": True,
}
