# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier CRM - Helpdesk",
    "summary": "A ticket opened stops the nurturing sequences; convert a ticket "
    "into a lead",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": ["atelier_crm", "atelier_helpdesk"],
    "data": ["views/helpdesk_ticket_views.xml"],
    "auto_install": True,
}
