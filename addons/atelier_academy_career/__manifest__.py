# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier Academy Career",
    "summary": "Academy certificates and completed courses in the CV in one click; "
    "courses recommended from an interview's weak criteria",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": ["atelier_career", "atelier_academy"],
    "auto_install": True,
    "data": ["views/portal_cv_templates.xml"],
    "demo": ["demo/atelier_career_demo.xml"],
}
