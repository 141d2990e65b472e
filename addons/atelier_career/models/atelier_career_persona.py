# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import csv
import io

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

CSV_COLUMNS = [
    "persona_code",
    "persona_name",
    "role",
    "tone",
    "tier",
    "intro",
    "closing",
    "nudge",
    "kind",
    "sequence",
    "text",
    "followup",
    "descriptor",
    "keywords",
]
MAX_CSV_BYTES = 512 * 1024


class AtelierCareerPersona(models.Model):
    """An interviewer: role, tone, question bank and evaluation grid. The
    texts are written in French (authored content, not translated)."""

    _name = "atelier.career.persona"
    _description = "Interview persona"
    _order = "sequence, id"

    name = fields.Char(required=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    role = fields.Text(required=True, help="Who the persona is, for the model.")
    tone = fields.Char(required=True)
    intro = fields.Text(help="The persona's first words.")
    closing = fields.Text(help="The persona's last words.")
    nudge = fields.Char(
        help="Said when the learner stays silent.",
        default="Prenez votre temps. Voulez-vous que je reformule la question ?",
    )
    tier = fields.Selection(
        [("standard", "Standard (every plan)"), ("pro", "Pro plans only")],
        required=True,
        default="pro",
    )
    is_custom = fields.Boolean(
        "Coach's own scenario", help="Written by a coach: Pro plans only."
    )
    question_ids = fields.One2many(
        "atelier.career.persona.question", "persona_id", copy=True
    )
    criterion_ids = fields.One2many("atelier.career.criterion", "persona_id", copy=True)
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint("UNIQUE (code)", "A persona's code is unique.")

    @api.model_create_multi
    def create(self, vals_list):
        # a persona made by a coach is their own scenario (the standard ones
        # in data say is_custom False)
        for vals in vals_list:
            vals.setdefault("is_custom", True)
        return super().create(vals_list)

    def _allowed_for(self, plan):
        self.ensure_one()
        if not plan:
            return False
        if self.is_custom:
            return plan.custom_scenarios
        return plan.all_personas or self.tier == "standard"

    def _as_dict(self):
        self.ensure_one()
        return {
            "name": self.name,
            "role": self.role,
            "tone": self.tone,
            "intro": self.intro or "",
            "closing": self.closing or "",
            "questions": [
                {"text": q.text, "followup": q.followup or ""}
                for q in self.question_ids
            ],
            "criteria": [c._as_dict() for c in self.criterion_ids],
        }

    # ------------------------------------------------------------------
    # CSV scenarios
    # ------------------------------------------------------------------
    def action_export_csv(self):
        """Download these personas as a CSV of scenarios (coaches only: it
        holds the evaluation grids)."""
        if not self.env.user.has_group("atelier_base.group_coach"):
            raise AccessError(self.env._("Only coaches export scenarios."))
        self.check_access("read")
        attachment = self.env["ir.attachment"].create(
            {
                "name": "scenarios.csv",
                "raw": self._export_csv().encode("utf-8"),
                "mimetype": "text/csv",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def _export_csv(self):
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for persona in self:
            head = {
                "persona_code": persona.code,
                "persona_name": persona.name,
                "role": persona.role,
                "tone": persona.tone,
                "tier": persona.tier,
                "intro": persona.intro or "",
                "closing": persona.closing or "",
                "nudge": persona.nudge or "",
            }
            for question in persona.question_ids:
                writer.writerow(
                    dict(
                        head,
                        kind="question",
                        sequence=question.sequence,
                        text=question.text,
                        followup=question.followup or "",
                    )
                )
            for criterion in persona.criterion_ids:
                writer.writerow(
                    dict(
                        head,
                        kind="criterion",
                        sequence=criterion.sequence,
                        text=criterion.name,
                        descriptor=criterion.descriptor,
                        keywords=criterion.keywords or "",
                    )
                )
        return out.getvalue()

    @api.model
    def _import_csv(self, raw):
        """Create or replace the personas of a CSV of scenarios; returns them.
        Raises a UserError naming the first bad line."""
        if len(raw) > MAX_CSV_BYTES:
            raise UserError(self.env._("The file is too big (512 KB at most)."))
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UserError(self.env._("The file is not UTF-8 text.")) from None
        reader = csv.DictReader(io.StringIO(text))
        missing = set(CSV_COLUMNS) - set(reader.fieldnames or [])
        if missing:
            raise UserError(
                self.env._(
                    "Columns missing: %(columns)s", columns=", ".join(sorted(missing))
                )
            )
        personas = {}
        try:
            rows = list(reader)
        except csv.Error as exc:
            raise UserError(
                self.env._("The CSV cannot be read: %(error)s", error=exc)
            ) from None
        for number, row in enumerate(rows, start=2):
            code = (row.get("persona_code") or "").strip()
            kind = (row.get("kind") or "").strip()
            text_value = (row.get("text") or "").strip()
            if not code or kind not in ("question", "criterion") or not text_value:
                raise UserError(
                    self.env._(
                        "Line %(line)s: a persona code, a kind (question or "
                        "criterion) and a text are required.",
                        line=number,
                    )
                )
            if (row.get("tier") or "pro") not in ("standard", "pro"):
                raise UserError(
                    self.env._(
                        "Line %(line)s: the tier is standard or pro.", line=number
                    )
                )
            try:
                sequence = int(row.get("sequence") or 10)
            except ValueError:
                raise UserError(
                    self.env._("Line %(line)s: the sequence is a number.", line=number)
                ) from None
            entry = personas.setdefault(
                code,
                {
                    "code": code,
                    "name": (row.get("persona_name") or code).strip(),
                    "role": (row.get("role") or "").strip() or code,
                    "tone": (row.get("tone") or "").strip() or "-",
                    "tier": row.get("tier") or "pro",
                    "intro": row.get("intro") or False,
                    "closing": row.get("closing") or False,
                    "nudge": row.get("nudge") or False,
                    "question_ids": [],
                    "criterion_ids": [],
                },
            )
            if kind == "question":
                entry["question_ids"].append(
                    Command.create(
                        {
                            "sequence": sequence,
                            "text": text_value,
                            "followup": row.get("followup") or False,
                        }
                    )
                )
            else:
                if not (row.get("descriptor") or "").strip():
                    raise UserError(
                        self.env._(
                            "Line %(line)s: a criterion needs a descriptor.",
                            line=number,
                        )
                    )
                entry["criterion_ids"].append(
                    Command.create(
                        {
                            "sequence": sequence,
                            "name": text_value,
                            "descriptor": row["descriptor"].strip(),
                            "keywords": row.get("keywords") or False,
                        }
                    )
                )
        result = self.browse()
        for code, values in personas.items():
            if not values["question_ids"] or not values["criterion_ids"]:
                raise UserError(
                    self.env._(
                        "Persona %(code)s needs questions and criteria.", code=code
                    )
                )
            persona = self.with_context(active_test=False).search([("code", "=", code)])
            if persona:
                persona.question_ids.unlink()
                persona.criterion_ids.unlink()
                persona.write(values)
            else:
                persona = self.create(dict(values, is_custom=True))
            result |= persona
        return result
