from . import (
    test_ats,
    test_json_resume,
    test_interview,
    test_candidates,
    test_ai,
    test_webhook,
    test_security,
    test_http,
)
