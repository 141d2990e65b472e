# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import yaml

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import file_path

from ..tools import content_loader, search_sql
from ..tools.text import SLUG_RE, html_passages, html_to_text, slugify

KINDS = [
    ("explication", "Explanation"),
    ("procedure", "Procedure"),
    ("checklist", "Checklist"),
]
LANGS = [("fr_FR", "French"), ("en_US", "English")]
# fields whose change rebuilds the search vector (generated column)
SEARCHED_FIELDS = {"title", "summary", "body", "dtc_ids", "tag_ids", "lang"}
PASSAGE_FIELDS = {"summary", "body", "lang"}


class AtelierKbArticle(models.Model):
    """A French technical article: an explanation, a procedure or a checklist.

    Written in its own language (``lang``): the text is authored content, not
    translated. Lessons of the academy link to articles from a glue addon
    (see readme/CONTEXT.md).
    """

    _name = "atelier.kb.article"
    _description = "Knowledge base article"
    _inherit = ["mail.thread", "website.published.mixin"]
    _order = "category_id, title, id"
    _rec_name = "title"

    title = fields.Char(required=True, tracking=True)
    slug = fields.Char(
        required=True,
        copy=False,
        compute="_compute_slug",
        store=True,
        precompute=True,
        readonly=False,
        help="Last part of the public address: /kb/article/<slug>.",
    )
    summary = fields.Text(help="One sentence: what the reader gets from it.")
    body = fields.Html(sanitize_style=True)
    body_text = fields.Text(compute="_compute_body_text", store=True, precompute=True)
    category_id = fields.Many2one(
        "atelier.kb.category",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    tag_ids = fields.Many2many("atelier.kb.tag", string="Tags")
    kind = fields.Selection(KINDS, required=True, default="explication")
    dtc_ids = fields.Many2many(
        "atelier.dtc",
        "atelier_kb_article_dtc_rel",
        "article_id",
        "dtc_id",
        string="Trouble codes",
    )
    lang = fields.Selection(
        LANGS,
        string="Language",
        required=True,
        default="fr_FR",
        help="Language the article is written in; it decides the stemming of "
        "the search (French or English).",
    )
    active = fields.Boolean(default=True)
    passage_ids = fields.One2many("atelier.kb.passage", "article_id", string="Passages")
    code_list = fields.Char(compute="_compute_code_list", store=True, precompute=True)
    tag_list = fields.Char(compute="_compute_tag_list", store=True, precompute=True)

    _slug_uniq = models.Constraint(
        "UNIQUE (slug)", "Another article already has this address."
    )

    def init(self):
        result = super().init()
        search_sql.ensure_text_search(self.env.cr)
        search_sql.ensure_vector_column(
            self.env.cr, self._table, search_sql.article_vector_expression()
        )
        search_sql.ensure_vector_column(
            self.env.cr,
            self._table,
            search_sql.article_head_vector_expression(),
            column="kb_head_vector",
        )
        return result

    @api.depends("title")
    def _compute_slug(self):
        for article in self:
            if not article.slug and article.title:
                article.slug = slugify(article.title)

    @api.depends("body")
    def _compute_body_text(self):
        for article in self:
            article.body_text = html_to_text(article.body)

    @api.depends("dtc_ids.code")
    def _compute_code_list(self):
        for article in self:
            article.code_list = " ".join(sorted(article.dtc_ids.mapped("code")))

    @api.depends("tag_ids.name")
    def _compute_tag_list(self):
        for article in self:
            article.tag_list = ", ".join(article.tag_ids.mapped("name"))

    @api.depends("slug")
    def _compute_website_url(self):
        for article in self:
            article.website_url = f"/kb/article/{article.slug}" if article.slug else "#"

    @api.constrains("slug")
    def _check_slug(self):
        for article in self:
            if not SLUG_RE.match(article.slug or ""):
                raise ValidationError(
                    self.env._(
                        "The address of an article is lower-case letters, digits "
                        "and dashes, e.g. rates-allumage-methode."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("slug"):
                vals["slug"] = slugify(vals["slug"])
        articles = super().create(vals_list)
        articles._kb_rebuild_passages()
        articles._kb_note_lexemes()
        return articles

    def write(self, vals):
        if vals.get("slug"):
            vals["slug"] = slugify(vals["slug"])
        result = super().write(vals)
        if PASSAGE_FIELDS & set(vals):
            self._kb_rebuild_passages()
        if SEARCHED_FIELDS & set(vals) or vals.get("is_published"):
            self._kb_note_lexemes()
        return result

    def _kb_rebuild_passages(self):
        """The summary, then the body cut at its headings."""
        self.env["atelier.kb.passage"].sudo().search(
            [("article_id", "in", self.ids)]
        ).unlink()
        vals_list = []
        for article in self:
            sections = html_passages(article.body)
            if article.summary:
                sections.insert(0, ("", article.summary))
            vals_list += [
                {
                    "article_id": article.id,
                    "sequence": sequence,
                    "heading": heading or False,
                    "text": text,
                    "lang": article.lang,
                }
                for sequence, (heading, text) in enumerate(sections)
            ]
        self.env["atelier.kb.passage"].sudo().create(vals_list)

    def _kb_note_lexemes(self):
        """New words become known to the typo correction at once."""
        self.flush_recordset()
        search_sql.note_lexemes(
            self.env.cr, self._table, self.filtered("is_published").ids
        )

    @api.model
    def _kb_load_demo_content(self):
        """Demo: the French articles and trouble-code pages written for this
        project (demo/kb_articles.yaml, demo/kb_codes.yaml)."""
        articles, codes = [], []
        for name, target in (("kb_articles.yaml", articles), ("kb_codes.yaml", codes)):
            try:
                path = file_path(f"atelier_knowledge/demo/{name}")
            except FileNotFoundError:
                continue
            with open(path, encoding="utf-8") as handle:
                target.extend(yaml.safe_load(handle) or [])
        return content_loader.load_content(self.env, articles, codes)
