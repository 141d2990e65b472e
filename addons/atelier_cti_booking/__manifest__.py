# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier CTI - Booking",
    "summary": "Book an appointment from the call pop-up in three clicks",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": ["atelier_cti", "atelier_booking"],
    "data": [
        "views/atelier_call_views.xml",
        "views/atelier_booking_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "atelier_cti_booking/static/src/**/*",
        ],
        "web.assets_tests": [
            "atelier_cti_booking/static/tests/tours/**/*",
        ],
    },
    "auto_install": True,
}
