from . import atelier_academy_attendance
from . import atelier_academy_enrolment
from . import atelier_academy_session
from . import atelier_appointment_type
from . import atelier_booking
from . import res_users
