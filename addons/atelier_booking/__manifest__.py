# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier Booking",
    "summary": "Appointment types, availability engine, online booking, reminders",
    "version": "19.0.1.1.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": [
        "atelier_base",
        "calendar",
        "resource",
        "portal",
        "website",
        "product",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/atelier_booking_rules.xml",
        "data/ir_config_parameter_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "data/website_menu_data.xml",
        "views/atelier_appointment_type_views.xml",
        "views/atelier_booking_views.xml",
        "views/atelier_booking_wizard_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/atelier_booking_templates.xml",
        "views/atelier_booking_menus.xml",
    ],
    "demo": [
        "demo/atelier_booking_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "atelier_booking/static/src/js/booking_tz.js",
        ],
        "web.assets_tests": [
            "atelier_booking/static/tests/tours/**/*",
        ],
    },
}
