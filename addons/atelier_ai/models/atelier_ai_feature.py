# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from typing import NamedTuple

from odoo import api, fields, models, tools

# kinds of personal data (atelier_ai.tools.redact.KINDS) and their switch
KEEP_FIELDS = {
    "email": "keep_email",
    "phone": "keep_phone",
    "vin": "keep_vin",
    "plate": "keep_plate",
    "name": "keep_name",
}


class FeatureConfig(NamedTuple):
    """What the service needs of a feature on every call (cached)."""

    id: int
    code: str
    enabled: bool
    max_tokens: int
    keep: frozenset


class AtelierAiFeature(models.Model):
    """A feature that may ask a language model: its switch and what personal
    data it may send unredacted. Declared in data files by the addons that
    use ``atelier.ai._complete``."""

    _name = "atelier.ai.feature"
    _description = "AI feature"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        readonly=True,
        help="Technical name given by the code to atelier.ai._complete().",
    )
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    enabled = fields.Boolean(
        string="Use the model",
        default=True,
        help="When off, or when the provider is Offline, the feature answers "
        "with its offline path (retrieval and rules) and nothing leaves Odoo.",
    )
    max_tokens = fields.Integer(
        string="Answer length (tokens)",
        default=0,
        help="Largest answer asked from the model; 0 leaves the server's default.",
    )
    keep_email = fields.Boolean(
        string="Send e-mail addresses",
        help="Send e-mail addresses to the provider as they are.",
    )
    keep_phone = fields.Boolean(
        string="Send phone numbers",
        help="Send phone numbers to the provider as they are.",
    )
    keep_vin = fields.Boolean(
        string="Send VINs",
        help="Send vehicle identification numbers to the provider as they are.",
    )
    keep_plate = fields.Boolean(
        string="Send licence plates",
        help="Send licence plates to the provider as they are.",
    )
    keep_name = fields.Boolean(
        string="Send names",
        help="Send the names of known contacts to the provider as they are.",
    )
    usage_count = fields.Integer(
        string="Calls this month", compute="_compute_usage_stats"
    )
    usage_cost = fields.Float(
        string="Cost this month (EUR)", compute="_compute_usage_stats", digits=(16, 4)
    )

    _code_uniq = models.Constraint(
        "UNIQUE (code)", "Each AI feature has its own technical name."
    )

    @api.model_create_multi
    def create(self, vals_list):
        features = super().create(vals_list)
        self.env.registry.clear_cache()
        return features

    def write(self, vals):
        res = super().write(vals)
        self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res

    def _compute_usage_stats(self):
        Usage = self.env["atelier.ai.usage"].sudo()
        groups = Usage._read_group(
            [
                ("feature_id", "in", self.ids),
                ("create_date", ">=", Usage._month_start()),
            ],
            ["feature_id"],
            ["__count", "cost:sum"],
        )
        stats = {feature.id: (count, cost) for feature, count, cost in groups}
        for feature in self:
            feature.usage_count, feature.usage_cost = stats.get(feature.id, (0, 0.0))

    def _kept_kinds(self):
        """Kinds of personal data the admin allowed this feature to send."""
        self.ensure_one()
        return {kind for kind, fname in KEEP_FIELDS.items() if self[fname]}

    @api.model
    @tools.ormcache("code")
    def _get_config(self, code):
        """The :class:`FeatureConfig` of ``code``, or None: one query per
        worker until a feature is written, not one per call."""
        feature = self.sudo().search([("code", "=", code)], limit=1)
        if not feature:
            return None
        return FeatureConfig(
            feature.id,
            feature.code,
            feature.enabled,
            feature.max_tokens,
            frozenset(feature._kept_kinds()),
        )
