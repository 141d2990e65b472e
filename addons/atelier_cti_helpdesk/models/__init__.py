from . import atelier_call
from . import helpdesk_ticket
