from . import atelier_call
from . import crm_lead
