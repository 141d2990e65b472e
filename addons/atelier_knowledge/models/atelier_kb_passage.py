# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..tools import search_sql


class AtelierKbPassage(models.Model):
    """A section of an article (its summary, then its body cut at the
    headings, at most 1,200 characters): what the search quotes and
    highlights, and what the assistant reads.

    Written by the article itself (``_kb_rebuild_passages``), never by hand.
    """

    _name = "atelier.kb.passage"
    _description = "Knowledge base article passage"
    _order = "article_id, sequence"

    article_id = fields.Many2one(
        "atelier.kb.article", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(required=True)
    heading = fields.Char()
    text = fields.Text(required=True)
    lang = fields.Char(required=True, default="fr_FR")

    def init(self):
        result = super().init()
        search_sql.ensure_text_search(self.env.cr)
        search_sql.ensure_vector_column(
            self.env.cr, self._table, search_sql.passage_vector_expression()
        )
        search_sql.ensure_functions(self.env.cr)
        return result
