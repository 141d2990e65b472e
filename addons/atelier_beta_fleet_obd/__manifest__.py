# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier Beta - Vehicle Diagnostics",
    "summary": "A tester's first diagnostic session received through the ingest API "
    "activates them; sessions make the beta's activity days; feedback about a session",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": ["atelier_beta", "atelier_fleet_obd"],
    "data": [
        "views/atelier_beta_feedback_views.xml",
        "views/portal_templates.xml",
    ],
    "demo": ["demo/atelier_beta_fleet_obd_demo.xml"],
    "auto_install": True,
}
