from . import test_atelier_dtc
from . import test_dtc_import
from . import test_public_methods
