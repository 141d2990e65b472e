from . import test_cv_followup
