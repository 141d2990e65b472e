from . import test_dtc_ticket
from . import test_access
