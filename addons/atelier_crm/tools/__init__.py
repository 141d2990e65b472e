from . import business_hours
from . import email_check
from . import payload
from . import regions
