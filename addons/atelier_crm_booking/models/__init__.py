from . import atelier_booking
from . import crm_lead
