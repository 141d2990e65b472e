from . import test_mail_inbound
from . import test_mail_outbound
from . import test_pending
from . import test_timeline
from . import test_figures
from . import test_security
from . import test_tour
from . import test_card
