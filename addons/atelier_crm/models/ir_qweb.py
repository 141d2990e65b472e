# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from lxml import etree

from odoo import models

# compiled e-mail bodies of the sequence engine, by source digest and
# compile options; small and bounded (a few templates x languages)
_COMPILED = {}
_COMPILED_MAX = 64


class IrQweb(models.AbstractModel):
    """Keep the compiled code of a raw QWeb source between renderings.

    Odoo compiles a template given as an etree at every rendering (it caches
    only templates stored as views): rendering one e-mail body for each of a
    thousand recipients would compile it a thousand times. The sequence
    engine passes the digest of the source in the context; the code
    generated from one source and one set of options is the same each time.
    """

    _inherit = "ir.qweb"

    def _compile(self, template):
        digest = self.env.context.get("atelier_crm_compile_key")
        if not digest or not isinstance(template, etree._Element):
            return super()._compile(template)
        key = (
            self.env.cr.dbname,
            digest,
            tuple(
                self.env.context.get(k) or False
                for k in self._get_template_cache_keys()
            ),
            self.env.context.get("raise_on_forbidden_code_for_model"),
        )
        compiled = _COMPILED.get(key)
        if compiled is None:
            if len(_COMPILED) >= _COMPILED_MAX:
                _COMPILED.clear()
            compiled = _COMPILED[key] = super()._compile(template)
        return compiled
