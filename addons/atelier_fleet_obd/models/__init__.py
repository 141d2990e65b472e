from . import atelier_obd_batch
from . import atelier_obd_event
from . import atelier_obd_reading_chunk
from . import atelier_obd_session
from . import atelier_obd_session_dtc
from . import fleet_vehicle
from . import ir_http
from . import res_partner
