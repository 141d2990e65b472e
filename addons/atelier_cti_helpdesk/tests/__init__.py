from . import test_call_ticket
from . import test_access
