from . import main
from . import slides
from . import survey
