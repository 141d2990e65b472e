from . import test_gating
from . import test_placement
from . import test_timelog
from . import test_enrolment
from . import test_security
from . import test_gating_http
from . import test_tours
