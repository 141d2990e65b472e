from . import credential
