# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..tools import search_sql
from ..tools.text import lines

SEARCHED_FIELDS = {
    "code",
    "title",
    "description",
    "symptoms",
    "likely_causes",
    "checks",
    "active",
}


class AtelierDtc(models.Model):
    """A trouble code's page in the knowledge base.

    Causes (``likely_causes``, from atelier_dtc) and symptoms are one per
    line, most likely first; they are translated fields because the English
    base comes from imports (OBDex) and the French from our own writers. The
    checks are our own French procedure, one step per line, in order.
    """

    _inherit = "atelier.dtc"

    symptoms = fields.Text(
        translate=True,
        help="What the driver notices, one per line (e.g. the engine shakes "
        "when accelerating).",
    )
    checks = fields.Text(
        "Checks and repair",
        help="The diagnosis then the repair, one step per line, in order.",
    )
    kb_article_ids = fields.Many2many(
        "atelier.kb.article",
        "atelier_kb_article_dtc_rel",
        "dtc_id",
        "article_id",
        string="Related articles",
    )
    website_url = fields.Char(compute="_compute_website_url")

    def init(self):
        result = super().init()
        cr = self.env.cr
        search_sql.ensure_text_search(cr)
        search_sql.ensure_vector_column(
            cr, self._table, search_sql.dtc_vector_expression()
        )
        # "P03" lists P0300-P0399: a prefix LIKE needs the pattern operators
        cr.execute(
            "CREATE INDEX IF NOT EXISTS atelier_dtc_code_pattern"
            " ON atelier_dtc (code text_pattern_ops)"
        )
        return result

    @api.depends("code")
    def _compute_website_url(self):
        for dtc in self:
            dtc.website_url = f"/kb/code/{dtc.code}" if dtc.code else False

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._kb_note_lexemes()
        return records

    def write(self, vals):
        result = super().write(vals)
        if SEARCHED_FIELDS & set(vals):
            self._kb_note_lexemes()
        return result

    def _kb_note_lexemes(self):
        self.flush_recordset()
        search_sql.note_lexemes(self.env.cr, self._table, self.ids)

    def _kb_is_french(self):
        """Whether the code has its own French title (else the page shows the
        English base)."""
        self.ensure_one()
        self.flush_recordset(["title"])
        self.env.cr.execute(
            "SELECT title ? 'fr_FR' FROM atelier_dtc WHERE id = %s", [self.id]
        )
        row = self.env.cr.fetchone()
        return bool(row and row[0])

    def _kb_page_values(self):
        """What the public page of the code shows (read in the language of
        ``self``'s environment)."""
        self.ensure_one()

        def label(fname):
            selection = dict(self._fields[fname]._description_selection(self.env))
            return selection.get(self[fname], "")

        return {
            "dtc": self,
            "is_french": self._kb_is_french(),
            "symptoms": lines(self.symptoms),
            "causes": lines(self.likely_causes),
            "checks": lines(self.checks),
            "articles": self._kb_published_articles(),
            "severity_label": label("severity"),
            "system_label": label("system"),
            "scope_label": label("scope"),
        }

    def _kb_published_articles(self):
        """Related articles shown on the public page: the published ones (the
        record rules already hide the others from visitors)."""
        self.ensure_one()
        return self.kb_article_ids.filtered("is_published")
