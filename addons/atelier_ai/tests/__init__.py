from . import test_redact
from . import test_relevance
from . import test_llm_client
from . import test_service
from . import test_stream
from . import test_usage
from . import test_security
