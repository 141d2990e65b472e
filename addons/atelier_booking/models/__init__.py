from . import atelier_appointment_type
from . import atelier_booking
from . import res_partner
from . import res_config_settings
from . import res_users
