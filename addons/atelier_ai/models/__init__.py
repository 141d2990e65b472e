from . import atelier_ai_feature
from . import atelier_ai_usage
from . import atelier_ai_rate
from . import atelier_ai
from . import res_config_settings
