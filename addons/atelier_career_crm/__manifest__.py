# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier Career - CRM",
    "summary": "A CV exported and left alone for 14 days makes a lead and enrols "
    "the learner in the CV follow-up sequence; an interview or a new edit stops it",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": ["atelier_career", "atelier_crm"],
    "data": [
        "data/utm_data.xml",
        "data/mail_template_data.xml",
        "data/atelier_crm_sequence_data.xml",
        "views/atelier_crm_sequence_views.xml",
    ],
    "auto_install": True,
}
