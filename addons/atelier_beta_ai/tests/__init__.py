from . import test_feedback_ai, test_rules
