from . import test_mail_inbound
from . import test_mail_outbound
