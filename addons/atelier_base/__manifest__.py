# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier Base",
    "summary": "Suite root: menus, roles, settings, phone index and customer card",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "application": True,
    "depends": ["contacts", "mail", "phone_validation"],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/atelier_base_groups.xml",
        "security/ir.model.access.csv",
        "views/atelier_phone_index_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/atelier_base_menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/res_partner_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "atelier_base/static/src/**/*",
        ],
        "web.assets_tests": [
            "atelier_base/static/tests/tours/**/*",
        ],
    },
    "post_init_hook": "post_init_hook",
}
