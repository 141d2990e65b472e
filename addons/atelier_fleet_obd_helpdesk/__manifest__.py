# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier Vehicle Diagnostics - Helpdesk",
    "summary": "Open a ticket from a trouble code or a vehicle, linked both ways",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": ["atelier_fleet_obd", "atelier_helpdesk"],
    "data": [
        "data/res_company_data.xml",
        "views/atelier_obd_session_dtc_views.xml",
        "views/atelier_obd_session_views.xml",
        "views/fleet_vehicle_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "auto_install": True,
}
