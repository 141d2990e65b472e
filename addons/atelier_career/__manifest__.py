# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier Career",
    "summary": "CV builder with PDFs an applicant-tracking system can read, "
    "and an interview simulator with quoted feedback",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": ["atelier_base", "portal", "atelier_ai"],
    "external_dependencies": {
        "python": ["jsonschema", "pypdf"],
        "bin": ["pdftotext", "wkhtmltopdf"],
    },
    "data": [
        "security/ir.model.access.csv",
        "security/atelier_career_rules.xml",
        "data/atelier_career_plan_data.xml",
        "data/atelier_career_persona_data.xml",
        "data/atelier_ai_feature_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "report/atelier_career_cv_report.xml",
        "report/atelier_career_session_report.xml",
        "views/atelier_career_persona_views.xml",
        "views/atelier_career_plan_views.xml",
        "views/atelier_career_subscription_views.xml",
        "views/atelier_career_webhook_views.xml",
        "views/atelier_career_purge_log_views.xml",
        "wizards/atelier_career_scenario_import_views.xml",
        "views/atelier_career_menus.xml",
        "views/portal_templates.xml",
        "views/portal_cv_templates.xml",
        "views/portal_interview_templates.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "atelier_career/static/src/js/*.js",
            "atelier_career/static/src/scss/*.scss",
        ],
        "web.assets_tests": [
            "atelier_career/static/tests/tours/**/*",
        ],
    },
}
