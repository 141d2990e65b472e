from . import test_booking_survey
from . import test_ticket_booking
from . import test_access
