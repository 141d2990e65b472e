from . import test_booking_lead
