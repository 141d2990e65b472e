# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier Beta - AI",
    "summary": "Beta feedback: suggested category, sentiment and likely "
    "duplicates, offline rules or a language model",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": ["atelier_beta", "atelier_ai"],
    "data": [
        "data/atelier_ai_feature_data.xml",
        "data/ir_cron_data.xml",
        "views/atelier_beta_feedback_views.xml",
    ],
    "auto_install": True,
    "post_init_hook": "post_init_hook",
}
