# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier Helpdesk",
    "summary": "Tickets: channels, working-hours SLA, reply templates, "
    "satisfaction follow-up, security fixes for OCA helpdesk",
    "version": "19.0.1.2.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": [
        "atelier_base",
        "mail",
        "helpdesk_mgmt",
        "helpdesk_mgmt_sla",
        "helpdesk_mgmt_rating",
        "helpdesk_type",
        "portal",
        "rating",
        "resource",
    ],
    "data": [
        "security/atelier_helpdesk_security.xml",
        "security/ir.model.access.csv",
        "data/resource_calendar_data.xml",
        "data/helpdesk_ticket_channel_data.xml",
        "data/helpdesk_ticket_stage_data.xml",
        "data/mail_activity_type_data.xml",
        "data/mail_template_data.xml",
        "data/helpdesk_ticket_team_data.xml",
        "data/ir_cron_data.xml",
        "views/helpdesk_ticket_views.xml",
        "views/mail_template_views.xml",
        "views/helpdesk_ticket_team_views.xml",
        "views/helpdesk_ticket_type_views.xml",
        "views/helpdesk_sla_views.xml",
        "views/helpdesk_ticket_stage_views.xml",
        "views/atelier_helpdesk_dashboard_views.xml",
        "views/res_config_settings_views.xml",
        "views/res_partner_views.xml",
        "views/helpdesk_portal_templates.xml",
        "views/atelier_helpdesk_menus.xml",
    ],
    "demo": ["demo/helpdesk_ticket_demo.xml"],
    "assets": {
        "web.assets_backend": [
            "atelier_helpdesk/static/src/**/*",
        ],
        "web.assets_tests": [
            "atelier_helpdesk/static/tests/tours/**/*",
        ],
    },
}
