# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier Beta",
    "summary": "Open beta of the diagnostic app: waitlist with double opt-in, "
    "batch invitations by fit, fraud-resistant referral, feedback with karma, "
    "public roadmap, NPS by segment, KPIs",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "application": True,
    "depends": [
        "atelier_crm",
        "gamification",
        "portal",
        "survey",
        "website",
    ],
    "data": [
        "security/atelier_beta_security.xml",
        "security/ir.model.access.csv",
        "security/atelier_beta_rules.xml",
        "data/ir_sequence_data.xml",
        "data/mail_template_data.xml",
        "data/survey_data.xml",
        "data/gamification_badge_data.xml",
        "data/ir_cron_data.xml",
        "views/atelier_beta_signup_views.xml",
        "views/atelier_beta_batch_views.xml",
        "views/atelier_beta_invitation_views.xml",
        "views/atelier_beta_referral_views.xml",
        "views/atelier_beta_feedback_views.xml",
        "views/atelier_beta_roadmap_item_views.xml",
        "views/atelier_beta_nps_views.xml",
        "views/atelier_beta_dashboard_views.xml",
        "views/res_config_settings_views.xml",
        "views/atelier_beta_templates.xml",
        "views/portal_templates.xml",
        "views/atelier_beta_menus.xml",
    ],
    "demo": [
        "demo/atelier_beta_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "atelier_beta/static/src/dashboard/**/*",
        ],
        "web.assets_frontend": [
            "atelier_beta/static/src/signup/**/*",
        ],
        "web.assets_tests": [
            "atelier_beta/static/tests/tours/**/*",
        ],
    },
}
