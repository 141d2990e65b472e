from . import test_vin
from . import test_ingest
from . import test_ingest_rpc
from . import test_readings
from . import test_report
from . import test_portal
from . import test_card
from . import test_tour
