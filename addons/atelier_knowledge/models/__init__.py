from . import atelier_kb_category
from . import atelier_kb_tag
from . import atelier_kb_article
from . import atelier_kb_passage
from . import atelier_dtc
from . import atelier_kb_search
