from . import reply_rules
from . import triage_rules
