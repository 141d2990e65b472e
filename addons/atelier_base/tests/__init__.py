from . import test_phone_tools
from . import test_phone_index
from . import test_customer_card
from . import test_security
from . import test_ui
from . import test_report_delay
