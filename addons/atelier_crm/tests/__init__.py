from . import test_sequence
