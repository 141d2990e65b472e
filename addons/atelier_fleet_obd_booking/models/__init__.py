from . import atelier_appointment_type
from . import atelier_booking
from . import atelier_obd_session
from . import atelier_obd_session_dtc
