from . import atelier_ai_triage_decision
from . import helpdesk_ticket
