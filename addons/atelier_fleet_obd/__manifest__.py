# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier Vehicle Diagnostics",
    "summary": "OBD-II diagnostic sessions from the bridge, trouble codes, "
    "diagnostic report and client portal",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": ["atelier_base", "atelier_dtc", "fleet", "portal"],
    "data": [
        "security/atelier_fleet_obd_groups.xml",
        "security/ir.model.access.csv",
        "security/atelier_fleet_obd_rules.xml",
        "views/atelier_obd_session_dtc_views.xml",
        "views/atelier_obd_session_views.xml",
        "views/fleet_vehicle_views.xml",
        "views/atelier_fleet_obd_menus.xml",
        "views/portal_templates.xml",
        "views/res_config_settings_views.xml",
        "views/atelier_obd_bridge_key_views.xml",
        "wizards/atelier_obd_session_recover_views.xml",
        "report/atelier_obd_session_report.xml",
    ],
    "demo": [
        "demo/atelier_fleet_obd_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "atelier_fleet_obd/static/src/**/*",
        ],
        "web.assets_tests": [
            "atelier_fleet_obd/static/tests/tours/**/*",
        ],
    },
}
