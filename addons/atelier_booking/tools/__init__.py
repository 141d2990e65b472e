from . import availability
from . import ics
