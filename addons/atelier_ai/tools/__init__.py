from . import llm_client
from . import redact
from . import relevance
