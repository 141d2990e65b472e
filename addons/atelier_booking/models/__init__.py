from . import atelier_appointment_type
from . import atelier_booking
from . import calendar_attendee
from . import calendar_event
from . import res_partner
from . import res_config_settings
from . import res_users
from . import resource_calendar_leaves
