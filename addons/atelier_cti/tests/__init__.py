from . import test_events_controller
from . import test_call_model
from . import test_security
from . import test_dial
from . import test_fuzz
from . import test_tour
from . import test_concurrency
from . import test_connection
