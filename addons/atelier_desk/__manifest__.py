# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier Desk",
    "summary": "Claire's desk: e-mail never lost, nothing forgotten, the contact's "
    "timeline, the manager's figures with a call forecast and clients at risk",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": [
        "atelier_base",
        "atelier_cti",
        "atelier_helpdesk",
        "atelier_booking",
        # the glue between them: calls linked to tickets and bookings, the
        # satisfaction follow-up of appointments
        "atelier_cti_helpdesk",
        "atelier_cti_booking",
        "atelier_booking_helpdesk",
        "mail",
        "portal",
        # the demo's French site (the booking addon installs it already)
        "website",
    ],
    "data": [
        "security/ir.model.access.csv",
        "data/ir_config_parameter_data.xml",
        "views/atelier_mail_quarantine_views.xml",
        "views/atelier_desk_pending_views.xml",
        "views/atelier_desk_risk_views.xml",
        "views/atelier_desk_dashboard_views.xml",
        "views/atelier_desk_report_views.xml",
        "views/res_partner_views.xml",
        "views/portal_templates.xml",
        "views/atelier_desk_menus.xml",
    ],
    "demo": ["demo/atelier_desk_demo.xml", "demo/website_demo.xml"],
    "assets": {
        "web.assets_backend": [
            "atelier_desk/static/src/**/*",
        ],
        "web.assets_tests": [
            "atelier_desk/static/tests/tours/**/*",
        ],
    },
    "auto_install": True,
}
