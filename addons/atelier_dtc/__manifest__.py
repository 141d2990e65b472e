# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier Trouble Codes",
    "summary": "OBD-II trouble code reference in French and English, with an importer",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": ["atelier_base"],
    "data": [
        "security/ir.model.access.csv",
        "data/atelier_dtc_data.xml",
        "views/atelier_dtc_views.xml",
        "wizards/atelier_dtc_import_views.xml",
        "views/atelier_dtc_menus.xml",
    ],
}
