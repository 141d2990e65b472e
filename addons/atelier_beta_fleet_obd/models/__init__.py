from . import atelier_beta_feedback
from . import atelier_beta_signup
from . import atelier_obd_session
