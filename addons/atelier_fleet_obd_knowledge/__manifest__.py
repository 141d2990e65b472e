# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier Vehicle Diagnostics - Knowledge Base",
    "summary": "How many times the workshop met each trouble code, on its page; "
    "a session's codes link to their pages",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": ["atelier_fleet_obd", "atelier_knowledge"],
    "data": [
        "views/atelier_dtc_views.xml",
        "views/kb_templates.xml",
    ],
    "auto_install": True,
}
