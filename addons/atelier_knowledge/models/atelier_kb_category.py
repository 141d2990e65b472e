# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.text import SLUG_RE


class AtelierKbCategory(models.Model):
    """A technical domain of the knowledge base (thermique, électrique...)."""

    _name = "atelier.kb.category"
    _description = "Knowledge base category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Short key used in the public URLs, e.g. electrique in "
        "/kb?category=electrique.",
    )
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    icon = fields.Char(
        default="fa-book",
        help="Font Awesome icon of the public page, e.g. fa-bolt.",
    )
    active = fields.Boolean(default=True)
    article_ids = fields.One2many("atelier.kb.article", "category_id")
    article_count = fields.Integer(compute="_compute_article_count")

    _code_uniq = models.Constraint(
        "UNIQUE (code)", "Two categories cannot share the same key."
    )

    @api.depends("article_ids")
    def _compute_article_count(self):
        counts = dict(
            self.env["atelier.kb.article"]._read_group(
                [("category_id", "in", self.ids)], ["category_id"], ["__count"]
            )
        )
        for category in self:
            category.article_count = counts.get(category, 0)

    @api.constrains("code")
    def _check_code(self):
        for category in self:
            if not SLUG_RE.match(category.code or ""):
                raise ValidationError(
                    self.env._(
                        "The key of a category is lower-case letters, digits and "
                        "dashes, e.g. electrique."
                    )
                )
