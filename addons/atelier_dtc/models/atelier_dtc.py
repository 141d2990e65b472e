# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.dtc_codes import DTC_CODE_RE, dtc_scope, dtc_system

SEVERITIES = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
]


class AtelierDtc(models.Model):
    _name = "atelier.dtc"
    _description = "Diagnostic trouble code"
    _order = "code"
    _rec_name = "code"
    _rec_names_search = ("code", "title")

    code = fields.Char(required=True, index=True)
    active = fields.Boolean(default=True)
    system = fields.Selection(
        [
            ("P", "Powertrain"),
            ("C", "Chassis"),
            ("B", "Body"),
            ("U", "Network"),
        ],
        compute="_compute_system",
        store=True,
        index=True,
    )
    scope = fields.Selection(
        [("generic", "Generic"), ("manufacturer", "Manufacturer specific")],
        compute="_compute_scope",
        store=True,
        readonly=False,
        help="Generic codes mean the same on every car; manufacturer codes depend "
        "on the make.",
    )
    title = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    likely_causes = fields.Text(translate=True, help="One cause per line or ';'.")
    severity = fields.Selection(SEVERITIES, required=True, default="medium")
    mil = fields.Boolean(
        "Lights the warning lamp", help="The malfunction indicator lamp comes on."
    )
    emissions_relevant = fields.Boolean()
    source = fields.Char(help="Where the text comes from (our own or an import).")

    _code_uniq = models.Constraint("UNIQUE (code)", "A trouble code must be unique.")
    _code_format = models.Constraint(
        "CHECK (code ~ '^[PCBU][0-3][0-9A-F]{3}$')",
        "A trouble code is a letter P, C, B or U followed by four hexadecimal digits.",
    )

    @api.depends("code")
    def _compute_system(self):
        for dtc in self:
            dtc.system = dtc_system(dtc.code) if dtc.code else False

    @api.depends("code")
    def _compute_scope(self):
        for dtc in self:
            dtc.scope = dtc_scope(dtc.code) if dtc.code else False

    @api.depends("code", "title")
    def _compute_display_name(self):
        for dtc in self:
            dtc.display_name = " ".join(part for part in (dtc.code, dtc.title) if part)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("code"):
                vals["code"] = self._normalize_code(vals["code"])
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("code"):
            vals["code"] = self._normalize_code(vals["code"])
        return super().write(vals)

    @api.model
    def _normalize_code(self, code):
        """Upper-case code without spaces; ValidationError when malformed (the
        database CHECK would refuse it anyway, with a less readable message)."""
        normalized = re.sub(r"\s+", "", str(code)).upper()
        if not DTC_CODE_RE.match(normalized):
            raise ValidationError(
                self.env._(
                    "%(code)s is not a trouble code: expected a letter P, C, B "
                    "or U and four hexadecimal digits, e.g. P0301.",
                    code=code,
                )
            )
        return normalized

    @api.model
    def _atelier_by_codes(self, codes):
        """``{code: atelier.dtc}`` for the known codes among ``codes``."""
        codes = {re.sub(r"\s+", "", str(code)).upper() for code in codes if code}
        if not codes:
            return {}
        records = self.with_context(active_test=False).search(
            [("code", "in", list(codes))]
        )
        return {record.code: record for record in records}
