from . import test_payment_flow
from . import test_refund
from . import test_team
from . import test_shop
from . import test_security
from . import test_tour
