# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

# One course per domain; sections of the placement test follow them too.
DOMAINS = [
    ("thermal", "Combustion engines (petrol, diesel)"),
    ("electric", "Electric vehicles (BEV, high voltage)"),
    ("hybrid", "Hybrid vehicles (HEV, PHEV)"),
    ("hydrogen", "Hydrogen (FCEV)"),
    ("lpg_cng", "LPG and CNG"),
    ("adas", "Driver assistance (ADAS)"),
    ("diagnostics", "Electronic diagnostics (OBD, CAN/LIN, oscilloscope)"),
]


class AtelierAcademyCompetency(models.Model):
    """A skill tag carried by quiz and exam questions (``VE-isolation-HT``).

    Tags drive the placement sub-scores, the coach's weak-topic view and the
    alignments of the certificate.
    """

    _name = "atelier.academy.competency"
    _description = "Academy competency"
    _order = "domain, code"
    _rec_names_search = ["code", "name"]

    code = fields.Char(required=True, index=True)
    # authored in French by the academy: not translated
    name = fields.Char(required=True)
    domain = fields.Selection(DOMAINS, required=True, index=True)
    description = fields.Text()
    active = fields.Boolean(default=True)
    slide_question_ids = fields.Many2many(
        "slide.question",
        "atelier_academy_competency_slide_question_rel",
        "competency_id",
        "question_id",
        string="Quiz questions",
    )
    survey_question_ids = fields.Many2many(
        "survey.question",
        "atelier_academy_competency_survey_question_rel",
        "competency_id",
        "question_id",
        string="Exam and placement questions",
    )

    _code_uniq = models.Constraint("UNIQUE (code)", "A competency code must be unique.")

    @api.depends("code", "name")
    def _compute_display_name(self):
        for competency in self:
            competency.display_name = (
                f"{competency.code} — {competency.name}"
                if competency.name and competency.code
                else competency.code or competency.name
            )
