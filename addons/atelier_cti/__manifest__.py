# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier CTI",
    "summary": "Call events API, call log, caller pop-up, call-backs, click-to-dial",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": ["atelier_base", "mail", "bus", "web"],
    "external_dependencies": {"python": ["phonenumbers", "requests"]},
    "data": [
        "security/ir.model.access.csv",
        "security/atelier_cti_rules.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "views/atelier_call_views.xml",
        "views/atelier_cti_line_views.xml",
        "views/res_partner_views.xml",
        "views/res_users_views.xml",
        "views/res_config_settings_views.xml",
        "views/mail_template_views.xml",
        "views/atelier_cti_menus.xml",
    ],
    "demo": [
        "demo/atelier_cti_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "atelier_cti/static/src/**/*",
        ],
        "web.assets_tests": [
            "atelier_cti/static/tests/tours/**/*",
        ],
    },
}
