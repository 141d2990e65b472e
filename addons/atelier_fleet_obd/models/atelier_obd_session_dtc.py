# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import api, fields, models

from ..tools.pids import KNOWN_PIDS


class AtelierObdSessionDtc(models.Model):
    """A trouble code reported during a session (one line per code)."""

    _name = "atelier.obd.session.dtc"
    _description = "Trouble code of a diagnostic session"
    _order = "session_id desc, code"
    _rec_name = "code"

    session_id = fields.Many2one(
        "atelier.obd.session", required=True, ondelete="cascade", index=True
    )
    vehicle_id = fields.Many2one(
        related="session_id.vehicle_id", store=True, index="btree_not_null"
    )
    code = fields.Char(required=True)
    dtc_id = fields.Many2one(
        "atelier.dtc", string="Trouble code", index="btree_not_null"
    )
    title = fields.Char(related="dtc_id.title")
    description = fields.Text(related="dtc_id.description")
    likely_causes = fields.Text(related="dtc_id.likely_causes")
    severity = fields.Selection(related="dtc_id.severity")
    status = fields.Selection(
        [("pending", "Pending"), ("stored", "Stored"), ("permanent", "Permanent")],
        required=True,
        default="stored",
        help="Pending: seen once, not confirmed. Stored: confirmed, lights the lamp "
        "when it is an emissions fault. Permanent: cannot be cleared with a scan "
        "tool, goes away once the car has verified the repair.",
    )
    first_seen = fields.Datetime(required=True)
    last_seen = fields.Datetime(required=True)
    freeze_frame = fields.Json(
        help="PID values recorded by the car when the code was set."
    )
    freeze_frame_text = fields.Text(
        string="Freeze frame values",
        compute="_compute_freeze_frame_text",
        help="The freeze frame as the technician reads it: one measure a line, "
        "with its unit.",
    )

    _session_code_uniq = models.Constraint(
        "UNIQUE (session_id, code)", "A code is listed once per session."
    )

    @api.depends("code", "title")
    def _compute_display_name(self):
        for line in self:
            line.display_name = " ".join(
                part for part in (line.code, line.title) if part
            )

    @api.depends("freeze_frame")
    @api.depends_context("lang")
    def _compute_freeze_frame_text(self):
        for line in self:
            line.freeze_frame_text = "\n".join(
                # the colon is translated: French puts a space before it
                self.env._("%(label)s: %(value)s", label=label, value=value)
                for label, value in line._freeze_frame_lines()
            )

    def _freeze_frame_lines(self):
        """``[(label, value)]`` of the freeze frame, for the report: the
        measure's name and its value with its unit, in the reader's language."""
        self.ensure_one()
        lang = self.env.lang or "en_US"
        lines = []
        for key, value in sorted((self.freeze_frame or {}).items()):
            spec = KNOWN_PIDS.get(key)
            label = spec.label._translate(lang) if spec else str(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                unit = spec.unit if spec else ""
                text = self.session_id._atelier_format(value, unit, strip=True)
                value = f"{text} {unit}".strip()
            lines.append((label, str(value)))
        return lines

    def _atelier_likely_causes(self):
        """The likely causes, one per line or separated by ';', as a list."""
        self.ensure_one()
        text = self.likely_causes or ""
        causes = (part.strip(" -•\t") for part in re.split(r"[;\n]+", text))
        return [cause for cause in causes if cause]
