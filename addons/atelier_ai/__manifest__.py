# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier AI",
    "summary": "One language-model service for the suite: any OpenAI-compatible "
    "server or none, redaction, budget, usage log",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": ["atelier_base"],
    "external_dependencies": {"python": ["openai", "jsonschema", "phonenumbers"]},
    "data": [
        "security/ir.model.access.csv",
        "data/atelier_ai_feature_data.xml",
        "data/ir_cron_data.xml",
        "views/atelier_ai_feature_views.xml",
        "views/atelier_ai_usage_views.xml",
        "views/res_config_settings_views.xml",
        "views/atelier_ai_menus.xml",
    ],
}
