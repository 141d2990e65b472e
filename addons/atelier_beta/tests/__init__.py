from . import test_dashboard
from . import test_feedback
from . import test_nps
from . import test_public
from . import test_queue
from . import test_referral
from . import test_security
from . import test_tours
