from . import atelier_call
from . import atelier_cti_line
from . import helpdesk_ticket
