from . import test_call_booking
from . import test_tour
from . import test_security
