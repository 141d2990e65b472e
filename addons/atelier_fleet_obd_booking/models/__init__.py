from . import atelier_booking
from . import atelier_obd_session_dtc
