from . import atelier_cti_line
from . import atelier_call
from . import atelier_call_event
from . import res_partner
from . import res_users
from . import mail_activity
from . import bus_bus
from . import ir_http
