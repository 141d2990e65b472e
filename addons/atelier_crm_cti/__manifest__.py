# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier CRM - CTI",
    "summary": "Unknown caller: 'New lead' in the call pop-up; open opportunities "
    "on the caller's card",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": ["atelier_crm", "atelier_cti"],
    "data": [
        "views/crm_lead_views.xml",
        "views/atelier_call_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "atelier_crm_cti/static/src/**/*",
        ],
    },
    "auto_install": True,
}
