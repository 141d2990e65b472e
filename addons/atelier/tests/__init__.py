from . import test_suite
from . import test_french_data, test_public_methods
from . import test_landing
from . import test_demo
