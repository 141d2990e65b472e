from . import test_alex_text
from . import test_alex
from . import test_handoff
from . import test_http
from . import test_security
from . import test_tours
