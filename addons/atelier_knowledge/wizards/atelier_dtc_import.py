# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from ..tools import search_sql


class AtelierDtcImport(models.TransientModel):
    """The import fills the symptoms too (a field of the knowledge base) and
    refreshes the search vocabulary once the codes are in."""

    _inherit = "atelier.dtc.import"

    def _import_content(self, content, file_format):
        stats = super()._import_content(content, file_format)
        if stats.get("created_count") or stats.get("updated_count"):
            search_sql.refresh_lexemes(self.env.cr)
        return stats
