from . import models


def post_init_hook(env):
    """Suggest a triage (rules) for the open tickets that were there before."""
    env["helpdesk.ticket"]._atelier_ai_triage_open_tickets()
