from . import test_booking_hours
