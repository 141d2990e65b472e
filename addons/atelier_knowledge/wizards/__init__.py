from . import atelier_dtc_import
