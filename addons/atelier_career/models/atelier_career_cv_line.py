# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo import api, fields, models
from odoo.exceptions import AccessError

SECTIONS = [
    ("experience", "Work experience"),
    ("education", "Education"),
    ("skill", "Skills"),
    ("language", "Languages"),
    ("certificate", "Certificates and courses"),
]
LINE_FIELDS = (
    "section",
    "title",
    "organization",
    "area",
    "location",
    "date_start",
    "date_end",
    "description",
    "highlights",
    "level",
    "keywords",
    "url",
)


class AtelierCareerCvLine(models.Model):
    """One entry of a CV section (a job, a diploma, a skill, a language, a
    certificate)."""

    _name = "atelier.career.cv.line"
    _description = "CV entry"
    _order = "cv_id, section, sequence, id"

    cv_id = fields.Many2one(
        "atelier.career.cv", required=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one(related="cv_id.user_id", store=True, index=True)
    section = fields.Selection(SECTIONS, required=True)
    sequence = fields.Integer(default=10)
    title = fields.Char(help="Position, diploma, skill, language or certificate.")
    organization = fields.Char(help="Employer, school or issuer.")
    area = fields.Char("Field of study")
    location = fields.Char()
    date_start = fields.Char("From", size=10, help="2021, 2021-09 or 2021-09-01")
    date_end = fields.Char("To", size=10)
    description = fields.Text()
    highlights = fields.Text(help="One achievement per line.")
    level = fields.Char(help="Level of a skill or a language, grade of a diploma.")
    keywords = fields.Char(help="Separated by commas.")
    url = fields.Char("Link", help="A certificate's public verification page.")
    source_ref = fields.Char(
        help="The academy record this entry was imported from.", readonly=True
    )
    extra_json = fields.Text(readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            cvs = self.env["atelier.career.cv"].browse(
                {vals.get("cv_id") for vals in vals_list if vals.get("cv_id")}
            )
            cvs.check_access("write")
            if any(cv.user_id != self.env.user for cv in cvs):
                raise AccessError(
                    self.env._("You can only add entries to your own CVs.")
                )
            for vals in vals_list:
                vals.pop("source_ref", None)
        lines = super().create(vals_list)
        lines.cv_id.sudo().write({"edited_date": fields.Datetime.now()})
        return lines

    def write(self, vals):
        if not self.env.su and ("cv_id" in vals or "source_ref" in vals):
            raise AccessError(self.env._("An entry stays in its CV."))
        result = super().write(vals)
        self.cv_id.sudo().write({"edited_date": fields.Datetime.now()})
        return result

    def unlink(self):
        cvs = self.cv_id
        result = super().unlink()
        cvs.exists().sudo().write({"edited_date": fields.Datetime.now()})
        return result

    def _as_dict(self):
        values = {key: self[key] or "" for key in LINE_FIELDS}
        values["extra"] = json.loads(self.extra_json) if self.extra_json else {}
        return values

    def _dates(self):
        """ "2019 – 2023", "depuis 2021"… as written (ISO dates shown as they
        are, an ATS reads them)."""
        if self.date_start and self.date_end:
            return f"{self.date_start} – {self.date_end}"
        return self.date_start or self.date_end or ""
