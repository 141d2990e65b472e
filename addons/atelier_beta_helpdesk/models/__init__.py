from . import atelier_beta_dashboard
from . import atelier_beta_feedback
from . import helpdesk_ticket
