from . import controllers
from . import models
from . import wizards

from .tools import search_sql


def uninstall_hook(env):
    """Drop the search columns, vocabulary and text search configurations."""
    search_sql.drop_all(env.cr)
