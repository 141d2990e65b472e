from . import atelier_obd_session_dtc
from . import fleet_vehicle
from . import helpdesk_ticket
from . import res_company
from . import res_config_settings
