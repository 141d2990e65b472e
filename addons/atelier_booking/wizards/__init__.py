from . import atelier_booking_wizard
from . import atelier_booking_wizard_slot
