from . import atelier_booking
from . import helpdesk_ticket
