from . import test_placement_lead
