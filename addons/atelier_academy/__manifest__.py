# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier Academy",
    "summary": "Automotive academy on eLearning: placement test and paths, "
    "server-side gating, intakes and signed attendance, measured time on task, "
    "coach cockpit, audit pack, verifiable certificates",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": [
        "atelier_base",
        "website_slides",
        "website_slides_survey",
        "portal",
    ],
    "external_dependencies": {"python": ["cryptography", "qrcode"]},
    "data": [
        "security/ir.model.access.csv",
        "security/atelier_academy_rules.xml",
        "data/ir_config_parameter_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "report/atelier_academy_certificate_report.xml",
        "report/atelier_academy_audit_pack_report.xml",
        "views/atelier_academy_competency_views.xml",
        "views/atelier_academy_path_views.xml",
        "views/atelier_academy_package_views.xml",
        "views/atelier_academy_placement_views.xml",
        "views/atelier_academy_enrolment_views.xml",
        "views/atelier_academy_intake_views.xml",
        "views/atelier_academy_session_views.xml",
        "views/atelier_academy_signature_views.xml",
        "views/atelier_academy_evidence_views.xml",
        "views/atelier_academy_certificate_views.xml",
        "views/slide_channel_views.xml",
        "views/slide_question_views.xml",
        "views/survey_views.xml",
        "views/atelier_academy_cockpit_views.xml",
        "views/atelier_academy_menus.xml",
        "views/website_slides_templates.xml",
        "views/survey_templates.xml",
        "views/portal_templates.xml",
        "views/verification_templates.xml",
    ],
    "demo": [
        "demo/atelier_academy_users_demo.xml",
        "demo/atelier_academy_content_demo.xml",
        "demo/atelier_academy_story_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "atelier_academy/static/src/heartbeat/**/*",
            "atelier_academy/static/src/scss/academy_frontend.scss",
        ],
        "web.assets_backend": [
            "atelier_academy/static/src/cockpit/**/*",
        ],
        "web.assets_tests": [
            "atelier_academy/static/tests/tours/**/*",
        ],
    },
}
