from . import test_tools
from . import test_search
from . import test_article
from . import test_security
from . import test_import
from . import test_http
from . import test_tour
