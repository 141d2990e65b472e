# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import json_resume
from ..tools.text import keywords, words

MAX_OFFER = 20000


class AtelierCareerJob(models.Model):
    """A job offer a learner aims at: pasted text or a JSON Resume job
    document. It tailors a CV and can drive an interview."""

    _name = "atelier.career.job"
    _description = "Job offer"
    _order = "create_date desc, id desc"

    name = fields.Char("Job title", required=True)
    user_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.user,
    )
    company_name = fields.Char("Company")
    description = fields.Text()
    skills = fields.Text(help="One skill or keyword per line.")
    source = fields.Selection(
        [("text", "Pasted text"), ("json", "JSON file")], default="text"
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not self.env.su:
                vals["user_id"] = self.env.uid
            if len(vals.get("description") or "") > MAX_OFFER:
                raise UserError(
                    self.env._(
                        "The offer is too long (%(max)s characters at most).",
                        max=MAX_OFFER,
                    )
                )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            vals.pop("user_id", None)
        return super().write(vals)

    @api.model
    def _from_text(self, text, title=None):
        text = (text or "").strip()
        if not text:
            raise UserError(self.env._("Paste the text of the offer."))
        if len(text) > MAX_OFFER:
            raise UserError(
                self.env._(
                    "The offer is too long (%(max)s characters at most).", max=MAX_OFFER
                )
            )
        first = text.splitlines()[0].strip()
        return self.create(
            {"name": (title or first)[:120], "description": text, "source": "text"}
        )

    @api.model
    def _from_json(self, raw):
        try:
            data = json_resume.parse(raw, schema=json_resume.JOB_SCHEMA)
        except json_resume.ResumeError as exc:
            raise UserError(
                self.env["atelier.career.cv"]._resume_error_message(exc)
            ) from None
        skills = json_resume.job_terms(data)
        return self.create(
            {
                "name": (data.get("title") or self.env._("Job offer"))[:120],
                "company_name": data.get("company") or False,
                "description": json_resume.job_text(data)[:MAX_OFFER],
                "skills": "\n".join(skills),
                "source": "json",
            }
        )

    def _terms(self):
        """What the offer asks for: its skills, then the words its text uses
        most."""
        self.ensure_one()
        terms = [s.strip() for s in (self.skills or "").splitlines() if s.strip()]
        # the text's words, but not the company's name nor a word of a skill
        known = words(" ".join([self.company_name or "", *terms]))
        terms += keywords(self.description or "", limit=15, exclude=known)
        return terms

    def _as_json(self):
        return json.dumps(
            {
                "title": self.name,
                "company": self.company_name or "",
                "description": self.description or "",
            },
            ensure_ascii=False,
        )
