# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier CRM - Booking",
    "summary": "A new client's first booking becomes a lead; a booking stops the "
    "nurturing sequences",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": ["atelier_crm", "atelier_booking"],
    "data": ["views/crm_lead_views.xml"],
    "auto_install": True,
}
