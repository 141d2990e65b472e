# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier",
    "summary": "Install the whole Atelier suite with one click",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "application": True,
    "depends": [
        "atelier_base",
        "atelier_cti",
        "atelier_helpdesk",
        "atelier_booking",
        "atelier_dtc",
        "atelier_fleet_obd",
        "atelier_academy",
        "atelier_academy_sale",
        "atelier_knowledge",
        "atelier_ai",
        "atelier_career",
        "atelier_crm",
        "atelier_beta",
        # a suite for a French business: French chart of accounts, VAT and
        # books in euros (picked for a company in France when it installs)
        "l10n_fr_account",
    ],
    "data": [
        "views/webclient_templates.xml",
    ],
    "demo": [
        "demo/atelier_demo.xml",
        "demo/account_chart_demo.xml",
        "demo/website_demo.xml",
    ],
}
