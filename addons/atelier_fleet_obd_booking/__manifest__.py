# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier Vehicle Diagnostics - Booking",
    "summary": "Book a repair from a trouble code",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": ["atelier_fleet_obd", "atelier_booking"],
    "data": [
        "security/ir.model.access.csv",
        "views/atelier_appointment_type_views.xml",
        "views/atelier_obd_session_dtc_views.xml",
        "views/atelier_obd_session_views.xml",
        "views/atelier_booking_views.xml",
    ],
    "demo": ["demo/atelier_fleet_obd_booking_demo.xml"],
    "auto_install": True,
}
