# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier Academy Booking",
    "summary": "Learners book their coaching hours online: one appointment type "
    "per coach, hours consumed when the session is held, given back on time",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": [
        "atelier_academy",
        "atelier_booking",
    ],
    "data": [
        "views/atelier_appointment_type_views.xml",
        "views/atelier_booking_views.xml",
        "views/atelier_academy_enrolment_views.xml",
        "views/portal_templates.xml",
    ],
    "auto_install": True,
}
