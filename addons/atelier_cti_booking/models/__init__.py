from . import atelier_booking
from . import atelier_call
