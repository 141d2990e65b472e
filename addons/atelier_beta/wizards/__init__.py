from . import atelier_beta_feedback_merge
