from . import test_availability_engine
from . import test_booking
from . import test_booking_concurrency
from . import test_booking_http
from . import test_booking_security
from . import test_booking_ics
from . import test_booking_portal
from . import test_booking_i18n
