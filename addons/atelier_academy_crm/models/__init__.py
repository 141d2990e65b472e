from . import atelier_academy_enrolment
from . import atelier_academy_placement_result
from . import crm_lead
