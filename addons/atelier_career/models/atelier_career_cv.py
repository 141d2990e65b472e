# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import hashlib
import json
import logging
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import ats, cv_rules, json_resume
from ..tools.text import missing_terms
from .atelier_career_cv_line import LINE_FIELDS

_logger = logging.getLogger(__name__)

TEMPLATES = [("classique", "Classic"), ("moderne", "Modern"), ("compact", "Compact")]
SECTION_ORDER = ("experience", "education", "skill", "language", "certificate")
CONTENT_FIELDS = {
    "name",
    "template",
    "lang",
    "full_name",
    "headline",
    "email",
    "phone",
    "city",
    "country_code",
    "website",
    "profile",
    "line_ids",
    "extra_json",
}
# written by the service only (an export, a check), never by the learner
PROTECTED_FIELDS = {
    "user_id",
    "ats_state",
    "ats_hash",
    "ats_report",
    "ats_checked_date",
    "exported_date",
    "edited_date",
    "followup_date",
}
FOLLOWUP_DAYS = 14


class AtelierCareerCv(models.Model):
    """A learner's CV: several per learner (one per target job), rendered
    with one of three templates and checked as an applicant-tracking system
    reads it."""

    _name = "atelier.career.cv"
    _description = "CV"
    _order = "write_date desc, id desc"

    name = fields.Char(
        "CV name", required=True, default=lambda self: self.env._("My CV")
    )
    user_id = fields.Many2one(
        "res.users",
        "Learner",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.user,
    )
    template = fields.Selection(TEMPLATES, required=True, default="classique")
    lang = fields.Selection(
        "_lang_selection",
        "Language of the CV",
        default=lambda self: self._default_lang(),
        required=True,
    )
    full_name = fields.Char()
    headline = fields.Char(help="The job you aim at, in one line.")
    email = fields.Char()
    phone = fields.Char()
    city = fields.Char()
    country_code = fields.Char(size=2)
    website = fields.Char()
    profile = fields.Text()
    line_ids = fields.One2many("atelier.career.cv.line", "cv_id", copy=True)
    job_id = fields.Many2one(
        "atelier.career.job", "Target job offer", ondelete="set null", copy=False
    )
    extra_json = fields.Text(
        "Other JSON Resume data", help="Kept from an import, written back on export."
    )
    ats_state = fields.Selection(
        [
            ("unchecked", "Not checked"),
            ("passed", "ATS-friendly"),
            ("failed", "Failed"),
        ],
        default="unchecked",
        copy=False,
        readonly=True,
    )
    ats_hash = fields.Char(copy=False, readonly=True)
    ats_report = fields.Text(copy=False, readonly=True)
    ats_checked_date = fields.Datetime(copy=False, readonly=True)
    ats_friendly = fields.Boolean(
        compute="_compute_ats_friendly",
        help="The last check passed and nothing changed since.",
    )
    exported_date = fields.Datetime(copy=False, readonly=True)
    edited_date = fields.Datetime(
        default=fields.Datetime.now, copy=False, readonly=True
    )
    followup_date = fields.Datetime(copy=False, readonly=True)

    @api.model
    def _lang_selection(self):
        return self.env["res.lang"].get_installed()

    @api.model
    def _default_lang(self):
        installed = dict(self.env["res.lang"].get_installed())
        if "fr_FR" in installed:
            return "fr_FR"
        return self.env.user.lang if self.env.user.lang in installed else "en_US"

    @api.depends(
        "ats_state",
        "ats_hash",
        *sorted(CONTENT_FIELDS - {"name", "extra_json"}),
        *(f"line_ids.{name}" for name in LINE_FIELDS),
        "line_ids.sequence",
    )
    def _compute_ats_friendly(self):
        for cv in self:
            cv.ats_friendly = (
                cv.ats_state == "passed" and cv.ats_hash == cv._content_hash()
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                if vals.get("user_id", self.env.uid) != self.env.uid:
                    raise AccessError(
                        self.env._("A CV belongs to the one who creates it.")
                    )
                for key in PROTECTED_FIELDS - {"user_id"}:
                    vals.pop(key, None)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and PROTECTED_FIELDS & set(vals):
            raise AccessError(
                self.env._("These fields are written by the service only.")
            )
        if CONTENT_FIELDS & set(vals) and "edited_date" not in vals:
            vals = dict(vals, edited_date=fields.Datetime.now())
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions (the learner's, through the portal or RPC)
    # ------------------------------------------------------------------
    def action_duplicate(self):
        """A copy of this CV, named as such, owned by the same learner."""
        self.ensure_one()
        self.check_access("read")
        return self.copy({"name": self.env._("%(name)s (copy)", name=self.name)})

    def action_check_ats(self):
        """Render the PDF and read it back; returns the check's result."""
        self.ensure_one()
        self.check_access("write")
        _pdf, result = self._render_and_check()
        return {key: result[key] for key in ("passed", "checks", "pages")}

    def action_export_pdf(self):
        """The checked PDF (bytes) and its check; counts as an export for the
        follow-up."""
        self.ensure_one()
        self.check_access("write")
        pdf, result = self._render_and_check()
        self.sudo().exported_date = fields.Datetime.now()
        return pdf, result

    def action_export_json(self):
        """This CV as a JSON Resume document (dict)."""
        self.ensure_one()
        self.check_access("read")
        return self._json_resume()

    def action_suggest(self):
        """Suggestions to improve this CV: ``{"mode", "items": [{"kind",
        "text"}]}`` from the language model, else from the offline rules."""
        self.ensure_one()
        self.check_access("read")
        return self.env["atelier.career.ai"]._cv_suggestions(self)

    def action_job_gap(self):
        """The target offer's skills and keywords missing from this CV."""
        self.ensure_one()
        self.check_access("read")
        if not self.job_id:
            return []
        return self._missing_terms(self.job_id)

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    @api.model
    def _import_json_resume(self, raw, name=None):
        """A new CV of the current user from JSON Resume bytes; a clear
        UserError when the document is malformed or hostile."""
        try:
            data = json_resume.parse(raw)
        except json_resume.ResumeError as exc:
            raise UserError(self._resume_error_message(exc)) from None
        cv_data = json_resume.to_cv(data)
        values = {
            key: value
            for key, value in cv_data["values"].items()
            if key in self._fields
        }
        values["country_code"] = (values.get("country_code") or "")[:2] or False
        lines = []
        for sequence, line in enumerate(cv_data["lines"]):
            line_vals = {
                key: value
                for key, value in line.items()
                if key in self.env["atelier.career.cv.line"]._fields and key != "extra"
            }
            line_vals["sequence"] = sequence
            line_vals["extra_json"] = (
                json.dumps(line["extra"], ensure_ascii=False)
                if line.get("extra")
                else False
            )
            lines.append(Command.create(line_vals))
        values.update(
            name=name or values.get("headline") or self.env._("Imported CV"),
            line_ids=lines,
            extra_json=(
                json.dumps(cv_data["extra"], ensure_ascii=False)
                if cv_data["extra"]
                else False
            ),
        )
        return self.create(values)

    @api.model
    def _resume_error_message(self, exc):
        messages = {
            "empty": self.env._("The file is empty."),
            "too_big": self.env._("The file is too big (256 KB at most)."),
            "not_json": self.env._("The file is not valid JSON."),
            "not_object": self.env._("A JSON Resume is a JSON object."),
            "too_deep": self.env._("The document is nested too deeply."),
            "too_many": self.env._("The document has too many entries."),
            "too_long": self.env._("A text of the document is too long."),
            "schema": self.env._("The document does not follow the JSON Resume schema"),
        }
        message = messages.get(exc.code, exc.code)
        return f"{message} ({exc.detail})" if exc.detail else message

    def _values(self):
        self.ensure_one()
        return {
            key: self[key] or ""
            for key in (
                "full_name",
                "headline",
                "email",
                "phone",
                "city",
                "country_code",
                "website",
                "profile",
            )
        }

    def _lines(self):
        self.ensure_one()
        return [
            line._as_dict()
            for line in self.line_ids.sorted(lambda x: (x.sequence, x.id))
        ]

    def _json_resume(self):
        extra = json.loads(self.extra_json) if self.extra_json else {}
        return json_resume.from_cv(self._values(), self._lines(), extra)

    def _content_hash(self):
        payload = json.dumps(
            [self.template, self.lang, self._values(), self._lines()],
            sort_keys=True,
            ensure_ascii=False,
            default=str,
        )
        return hashlib.sha256(payload.encode()).hexdigest()

    def _section_titles(self):
        """The section headings in the CV's language."""
        env = self.with_context(lang=self.lang).env
        return {
            "profile": env._("Profile"),
            "experience": env._("Work experience"),
            "education": env._("Education"),
            "skill": env._("Skills"),
            "language": env._("Languages"),
            "certificate": env._("Certificates and courses"),
        }

    def _sections(self):
        """[(code, heading, lines)] in reading order, empty sections left out."""
        self.ensure_one()
        titles = self._section_titles()
        lines = self.line_ids.sorted(lambda x: (x.sequence, x.id))
        sections = []
        for code in SECTION_ORDER:
            section_lines = lines.filtered(lambda x, code=code: x.section == code)
            if section_lines:
                sections.append((code, titles[code], section_lines))
        return sections

    def _ats_expectations(self):
        """(headings, order, content) the PDF must give back."""
        headings, order = [], []
        titles = self._section_titles()
        order += [self.full_name or "", self.headline or ""]
        if self.profile:
            headings.append(titles["profile"])
            order.append(titles["profile"])
        for _code, title, lines in self._sections():
            headings.append(title)
            order.append(title)
            order.append(lines[0].title or "")
        content = cv_rules.cv_plain_text(self._values(), self._lines())
        # the headings are content too: each word must come out intact
        content = "\n".join([content, *headings])
        return headings, [item for item in order if item], content

    def _render_pdf(self):
        self.ensure_one()
        report = self.env.ref("atelier_career.atelier_career_cv_report")
        pdf, _format = (
            self.env["ir.actions.report"]
            .with_context(lang=self.lang, force_report_rendering=True)
            .sudo()
            ._render_qweb_pdf(report, self.ids)
        )
        return pdf

    def _render_and_check(self):
        """(pdf bytes, check result), the result stored on the CV."""
        content_hash = self._content_hash()
        pdf = self._render_pdf()
        headings, order, content = self._ats_expectations()
        result = ats.check_pdf(pdf, headings, order, content)
        self.sudo().write(
            {
                "ats_state": "passed" if result["passed"] else "failed",
                "ats_hash": content_hash,
                "ats_checked_date": fields.Datetime.now(),
                "ats_report": json.dumps(
                    {"checks": result["checks"], "pages": result["pages"]},
                    ensure_ascii=False,
                ),
            }
        )
        if not result["passed"]:
            _logger.info(
                "CV %s: ATS check failed: %s",
                self.id,
                [c["code"] for c in result["checks"] if not c["ok"]],
            )
        return pdf, result

    def _ats_check_labels(self):
        return {
            "extract": self.env._("The text can be extracted"),
            "order": self.env._("The reading order is right"),
            "headings": self.env._("Every section heading is there"),
            "ligatures": self.env._("No ligatures"),
            "words": self.env._("Every word comes out intact"),
            "mapping": self.env._("Every glyph maps to text"),
            "icons": self.env._("No icon stands for a word"),
        }

    def _ats_checks(self):
        """The last check, for the screen: [{"label", "ok", "detail"}]."""
        if not self.ats_report:
            return []
        labels = self._ats_check_labels()
        report = json.loads(self.ats_report)
        return [
            dict(check, label=labels.get(check["code"], check["code"]))
            for check in report.get("checks", [])
        ]

    def _missing_terms(self, job):
        return missing_terms(
            cv_rules.cv_plain_text(self._values(), self._lines()), job._terms()
        )

    def _attachment_name(self):
        return f"CV - {self.full_name or self.name}.pdf"

    def _pdf_attachment_data(self, pdf):
        return base64.b64encode(pdf)

    # ------------------------------------------------------------------
    # Follow-up
    # ------------------------------------------------------------------
    @api.model
    def _cron_followup(self):
        """A check-in e-mail for every CV exported and untouched for 14 days."""
        limit = fields.Datetime.now() - timedelta(days=FOLLOWUP_DAYS)
        cvs = self.sudo().search(
            [
                ("exported_date", "!=", False),
                ("exported_date", "<=", limit),
                ("followup_date", "=", False),
            ]
        )
        cvs = cvs.filtered(lambda cv: cv.edited_date <= cv.exported_date)
        template = self.env.ref("atelier_career.mail_template_cv_followup")
        for cv in cvs:
            template.send_mail(cv.id, email_layout_xmlid="mail.mail_notification_light")
        cvs.write({"followup_date": fields.Datetime.now()})
        self._atelier_followup_hook(cvs)
        return cvs

    def _atelier_followup_hook(self, cvs):
        """Extension point: glue addons (CRM) follow up on these CVs too."""
        return cvs
