from . import test_mail_gateway
from . import test_sla
from . import test_survey
from . import test_security
from . import test_dashboard_card
from . import test_tours
from . import test_routing
from . import test_dashboard
