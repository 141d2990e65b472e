from . import atelier_cti_line_secret
