from . import atelier_booking_wizard
