from . import atelier_crm_enrol_wizard
from . import atelier_crm_gdpr_erase_wizard
