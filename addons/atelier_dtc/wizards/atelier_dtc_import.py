# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import logging

from psycopg2.extras import Json

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools import dtc_parser
from ..tools.dtc_codes import dtc_scope, dtc_system

_logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
MAX_REPORTED_ERRORS = 20


class AtelierDtcImport(models.TransientModel):
    _name = "atelier.dtc.import"
    _description = "Import trouble codes"

    data_file = fields.Binary("File", required=True)
    filename = fields.Char()
    file_format = fields.Selection(
        [
            ("auto", "From the file name"),
            ("csv", "CSV"),
            ("json", "JSON"),
            ("yaml", "YAML"),
        ],
        default="auto",
        required=True,
    )
    overwrite = fields.Boolean(
        "Replace existing texts",
        help="When unchecked, codes already known keep their texts and severity; "
        "only the languages they lack are filled in.",
    )
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")
    created_count = fields.Integer(readonly=True)
    updated_count = fields.Integer(readonly=True)
    skipped_count = fields.Integer(readonly=True)
    error_summary = fields.Text(readonly=True)

    def action_import(self):
        self.ensure_one()
        # before the raw SQL upsert: only the wizard's creator, a manager
        self.check_access("write")
        self.env["atelier.dtc"].check_access("create")
        if not self.env.su and self.create_uid != self.env.user:
            raise AccessError(self.env._("This import was prepared by someone else."))
        file_format = self.file_format
        if file_format == "auto":
            file_format = dtc_parser.guess_format(self.filename)
            if not file_format:
                raise UserError(
                    self.env._(
                        "Cannot tell the format of %(name)s: choose CSV, JSON or YAML.",
                        name=self.filename or "?",
                    )
                )
        if file_format == "yaml" and not dtc_parser.yaml_available():
            raise UserError(
                self.env._(
                    "YAML files need the PyYAML Python package on the server; "
                    "import a CSV or JSON file instead."
                )
            )
        stats = self._import_content(base64.b64decode(self.data_file), file_format)
        self.write({"state": "done", **stats})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _import_content(self, content, file_format):
        """Parse and upsert; returns the counters written on the wizard."""
        try:
            records = dtc_parser.load_records(content, file_format)
        except dtc_parser.DtcFileError as exc:
            raise UserError(
                self.env._("The file cannot be read: %(error)s", error=str(exc))
            ) from exc
        entries, errors = dtc_parser.parse_records(records)
        for index, reason in errors:
            _logger.info("Trouble code import: entry %s skipped: %s", index, reason)
        created, updated = self._upsert_entries(entries, overwrite=self.overwrite)
        lines = [
            self.env._("Entry %(index)s: %(reason)s", index=index + 1, reason=reason)
            for index, reason in errors[:MAX_REPORTED_ERRORS]
        ]
        if len(errors) > MAX_REPORTED_ERRORS:
            lines.append(
                self.env._(
                    "… and %(count)s more.", count=len(errors) - MAX_REPORTED_ERRORS
                )
            )
        return {
            "created_count": created,
            "updated_count": updated,
            "skipped_count": len(errors),
            "error_summary": "\n".join(lines),
        }

    @api.model
    def _lang_map(self):
        """Two-letter language of the files -> installed Odoo language."""
        mapping = {}
        for code, _name in self.env["res.lang"].get_installed():
            short = code.split("_")[0].lower()
            # prefer the "xx_XX" variant (fr_FR over fr_BE)
            if short not in mapping or code.lower() == f"{short}_{short}":
                mapping[short] = code
        mapping["en"] = "en_US"
        return mapping

    @api.model
    def _translations(self, texts, lang_map):
        values = {
            lang_map[lang]: text for lang, text in texts.items() if lang in lang_map
        }
        if values and "en_US" not in values:
            values["en_US"] = next(iter(values.values()))
        return values or None

    def _upsert_entries(self, entries, overwrite=False):
        """Insert or update trouble codes in batches with one SQL statement each.

        Returns ``(created, updated)``. Translated texts are merged per
        language: without ``overwrite`` the stored languages win.
        """
        self.env["atelier.dtc"].flush_model()
        lang_map = self._lang_map()
        text_fields = self._text_fields()
        uid = self.env.uid
        created = updated = 0
        for start in range(0, len(entries), BATCH_SIZE):
            rows = []
            for entry in entries[start : start + BATCH_SIZE]:
                code = entry["code"]
                texts = [
                    self._translations(entry.get(fname) or {}, lang_map)
                    for fname in text_fields
                ]
                rows.append(
                    SQL(
                        "(%s, %s, %s, %s, %s, %s, %s, %s, TRUE, %s,"
                        " now() at time zone 'UTC', %s, now() at time zone 'UTC')",
                        code,
                        dtc_system(code),
                        dtc_scope(code),
                        SQL(", ").join(Json(text) if text else None for text in texts),
                        entry["severity"],
                        entry["mil"],
                        entry["emissions_relevant"],
                        "import",
                        uid,
                        uid,
                    )
                )
            self.env.cr.execute(self._upsert_query(rows, overwrite, text_fields))
            inserted = [row[0] for row in self.env.cr.fetchall()]
            created += sum(inserted)
            updated += len(inserted) - sum(inserted)
        self.env["atelier.dtc"].invalidate_model()
        return created, updated

    @api.model
    def _text_fields(self):
        """The translated texts of the files that ``atelier.dtc`` stores (other
        addons add fields, e.g. the symptoms of the knowledge base)."""
        fields_ = self.env["atelier.dtc"]._fields
        return [name for name in dtc_parser.TEXT_FIELDS if name in fields_]

    @api.model
    def _upsert_query(self, rows, overwrite, text_fields):
        def merge(column):
            ident = SQL.identifier(column)
            if overwrite:
                first = SQL("atelier_dtc.%s", ident)
                second = SQL("EXCLUDED.%s", ident)
            else:
                first = SQL("EXCLUDED.%s", ident)
                second = SQL("atelier_dtc.%s", ident)
            # jsonb || jsonb: keys of the right operand win
            return SQL(
                "%s = NULLIF(COALESCE(%s, '{}'::jsonb) || COALESCE(%s, '{}'::jsonb),"
                " '{}'::jsonb)",
                ident,
                first,
                second,
            )

        keep = SQL("EXCLUDED") if overwrite else SQL("atelier_dtc")
        return SQL(
            """
            INSERT INTO atelier_dtc (
                code, system, scope, %s, severity,
                mil, emissions_relevant, source, active,
                create_uid, create_date, write_uid, write_date)
            VALUES %s
            ON CONFLICT (code) DO UPDATE SET
                %s,
                severity = %s.severity,
                mil = %s.mil,
                emissions_relevant = %s.emissions_relevant,
                write_uid = EXCLUDED.write_uid,
                write_date = EXCLUDED.write_date
            RETURNING (xmax = 0)
            """,
            SQL(", ").join(SQL.identifier(name) for name in text_fields),
            SQL(", ").join(rows),
            SQL(", ").join(merge(name) for name in text_fields),
            keep,
            keep,
            keep,
        )
