# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier Alex",
    "summary": "Alex, the automotive expert: answers from the knowledge base "
    "with its sources, on the website and in the back office",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": ["atelier_ai", "atelier_knowledge"],
    "auto_install": True,
    "data": [
        "security/ir.model.access.csv",
        "data/atelier_ai_feature_data.xml",
        "views/alex_templates.xml",
        "views/atelier_alex_request_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "atelier_knowledge_ai/static/src/alex_chat/**/*",
        ],
        "web.assets_backend": [
            "atelier_knowledge_ai/static/src/alex_chat/**/*",
            "atelier_knowledge_ai/static/src/alex_systray/**/*",
        ],
        "web.assets_tests": [
            "atelier_knowledge_ai/static/tests/tours/**/*",
        ],
    },
}
