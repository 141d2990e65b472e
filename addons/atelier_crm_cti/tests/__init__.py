from . import test_call_lead
