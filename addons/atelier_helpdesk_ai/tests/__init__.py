from . import test_rules
from . import test_triage
from . import test_draft
from . import test_security
from . import test_tours
