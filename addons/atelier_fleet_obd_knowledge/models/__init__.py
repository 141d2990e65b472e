from . import atelier_dtc
