# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier CRM",
    "summary": "Leads with source and consent, double opt-in, nurturing sequences, "
    "scoring, advisory call, two pipelines, funnel figures, GDPR",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": [
        "atelier_base",
        "crm",
        "link_tracker",
        "mass_mailing",
        "portal",
        "resource",
        "survey_crm",
        "utm",
        "website",
    ],
    "data": [
        "security/atelier_crm_security.xml",
        "security/ir.model.access.csv",
        "data/crm_data.xml",
        "data/atelier_crm_score_rule_data.xml",
        "data/mail_template_data.xml",
        "data/atelier_crm_sequence_data.xml",
        "data/atelier_crm_lead_magnet_data.xml",
        "data/survey_data.xml",
        "data/ir_cron_data.xml",
        "views/crm_lead_views.xml",
        "views/atelier_crm_sequence_views.xml",
        "views/atelier_crm_config_views.xml",
        "views/atelier_crm_funnel_views.xml",
        "views/res_partner_views.xml",
        "views/atelier_crm_templates.xml",
        "views/portal_templates.xml",
        "views/atelier_crm_menus.xml",
    ],
    "demo": [
        "demo/atelier_crm_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "atelier_crm/static/src/**/*",
        ],
        "web.assets_tests": [
            "atelier_crm/static/tests/tours/**/*",
        ],
    },
    "uninstall_hook": "uninstall_hook",
}
