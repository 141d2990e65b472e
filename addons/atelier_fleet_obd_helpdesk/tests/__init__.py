from . import test_dtc_ticket
