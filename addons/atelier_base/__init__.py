from . import models
from . import wizards


def post_init_hook(env):
    """Index the numbers of the contacts that exist before the install."""
    env["atelier.phone.index"].sudo()._rebuild_all()
