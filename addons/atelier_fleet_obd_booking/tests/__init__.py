from . import test_dtc_booking
from . import test_booking_vehicle
from . import test_public_methods
