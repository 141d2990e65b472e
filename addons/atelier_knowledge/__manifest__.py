# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier Knowledge Base",
    "summary": "French knowledge base: articles, trouble-code pages and a full-text "
    "search (french/english stemming, unaccent, GIN, typo tolerance)",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": ["atelier_base", "atelier_dtc", "website"],
    "external_dependencies": {"python": ["PyYAML"]},
    "data": [
        "security/atelier_knowledge_security.xml",
        "security/ir.model.access.csv",
        "data/atelier_kb_category_data.xml",
        "data/website_menu_data.xml",
        "data/ir_cron_data.xml",
        "views/atelier_kb_article_views.xml",
        "views/atelier_kb_category_views.xml",
        "views/atelier_kb_tag_views.xml",
        "views/atelier_dtc_views.xml",
        "views/atelier_knowledge_menus.xml",
        "views/kb_templates.xml",
    ],
    "demo": [
        "demo/atelier_knowledge_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "atelier_knowledge/static/src/kb_search/**/*",
        ],
        "web.assets_frontend": [
            "atelier_knowledge/static/src/scss/kb_frontend.scss",
        ],
        "web.assets_tests": [
            "atelier_knowledge/static/tests/tours/**/*",
        ],
    },
    "uninstall_hook": "uninstall_hook",
}
