from . import test_mail_inbound
