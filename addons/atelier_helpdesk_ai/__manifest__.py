# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier Helpdesk AI",
    "summary": "Ticket triage (type, priority, mood) and reply drafts, "
    "offline or with a language model",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": ["atelier_ai", "atelier_helpdesk"],
    "auto_install": True,
    "post_init_hook": "post_init_hook",
    "data": [
        "security/ir.model.access.csv",
        "data/atelier_ai_feature_data.xml",
        "data/ir_cron_data.xml",
        "views/helpdesk_ticket_views.xml",
        "views/atelier_ai_triage_decision_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "atelier_helpdesk_ai/static/tests/tours/**/*",
        ],
    },
}
