from . import test_dtc_booking
