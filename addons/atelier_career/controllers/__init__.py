from . import main, interview
