from . import test_call_ticket
