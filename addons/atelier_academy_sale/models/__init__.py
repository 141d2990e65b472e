from . import account_move
from . import atelier_academy_enrolment
from . import atelier_academy_package
from . import atelier_academy_purchase
from . import payment_transaction
from . import product_product
from . import res_config_settings
from . import sale_order
