from . import atelier_obd_session_recover
