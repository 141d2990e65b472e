from . import atelier_career_cv
from . import atelier_career_session
from . import atelier_crm_enrolment
from . import atelier_crm_sequence
from . import crm_lead
