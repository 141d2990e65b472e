from . import test_times_met
