from . import atelier_card_mixin
from . import atelier_phone_index
from . import res_partner
from . import res_company
from . import res_config_settings
from . import ir_actions_report
