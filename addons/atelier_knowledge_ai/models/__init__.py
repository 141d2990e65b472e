from . import atelier_alex_request
from . import atelier_ai_alex
from . import ir_http
from . import res_config_settings
