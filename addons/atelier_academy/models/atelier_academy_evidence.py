# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import csv
import hashlib
import io
import json
import logging
import re
import zipfile
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, html2plaintext

_logger = logging.getLogger(__name__)

# tables of evidence and the column that dates a row, purged after retention
PURGED = [
    ("atelier_academy_timelog", "day"),
    ("atelier_academy_connection", "start"),
    ("atelier_academy_quiz_attempt", "create_date"),
    ("atelier_academy_signature", "day"),
    ("atelier_academy_reminder", "create_date"),
]


class AtelierAcademyEvidence(models.AbstractModel):
    """Proof that a distance training was followed (Code du travail
    D6313-3-1 and R6313-3, Qualiopi indicators 11 and 12).

    The audit pack of a learner is a zip: a PDF (with the certificat de
    réalisation) and CSV files, with a manifest of SHA-256 hashes. Evidence
    is kept for the retention period (3 years), then purged by a cron that
    logs what it purged.
    """

    _name = "atelier.academy.evidence"
    _description = "Training evidence (audit pack, retention)"

    # ------------------------------------------------------------------
    # Data
    # ------------------------------------------------------------------
    @api.model
    def _atelier_audit_data(self, enrolment):
        """Every piece of evidence about one enrolment, as plain rows."""
        enrolment = enrolment.sudo()
        partner = enrolment.partner_id
        channels = enrolment.path_id.line_ids.channel_id
        progress = enrolment._atelier_path_progress()[enrolment.id]
        cr = self.env.cr
        for model in self._atelier_evidence_models():
            self.env[model].flush_model()

        # activities: every lesson, estimated and measured
        cr.execute(
            SQL(
                """
                SELECT c.id, s.id, s.sequence, s.slide_category, s.completion_time,
                       COALESCE(t.seconds, 0), t.first_beat, t.last_beat,
                       COALESCE(sp.completed, FALSE)
                  FROM slide_slide s
                  JOIN slide_channel c ON c.id = s.channel_id
             LEFT JOIN (SELECT slide_id, SUM(seconds) AS seconds,
                               MIN(first_beat) AS first_beat,
                               MAX(last_beat) AS last_beat
                          FROM atelier_academy_timelog
                         WHERE partner_id = %(partner)s
                           AND channel_id = ANY(%(channels)s)
                      GROUP BY slide_id) t ON t.slide_id = s.id
             LEFT JOIN slide_slide_partner sp
                    ON sp.slide_id = s.id AND sp.partner_id = %(partner)s
                 WHERE s.channel_id = ANY(%(channels)s) AND NOT s.is_category
                   AND s.active
              ORDER BY c.id, s.sequence, s.id
                """,
                partner=partner.id,
                channels=channels.ids,
            )
        )
        rows = cr.fetchall()
        slides = self.env["slide.slide"].browse([row[1] for row in rows])
        names = {slide.id: slide.name for slide in slides}
        course_names = {channel.id: channel.name for channel in channels}
        categories = dict(
            self.env["slide.slide"]
            ._fields["slide_category"]
            ._description_selection(self.env)
        )
        yes, no = self.env._("yes"), self.env._("no")
        activities = [
            {
                "course": course_names.get(channel_id, ""),
                "lesson": names.get(slide_id, ""),
                "type": categories.get(category, category or ""),
                "estimated_min": round((completion_time or 0.0) * 60),
                "measured_min": round(seconds / 60.0, 1),
                "first_activity": self._fmt(first),
                "last_activity": self._fmt(last),
                "completed": yes if completed else no,
            }
            for (
                channel_id,
                slide_id,
                _seq,
                category,
                completion_time,
                seconds,
                first,
                last,
                completed,
            ) in rows
        ]

        cr.execute(
            SQL(
                """SELECT kind, start, stop, seconds, ip_address, user_agent
                     FROM atelier_academy_connection
                    WHERE partner_id = %s ORDER BY start, id""",
                partner.id,
            )
        )
        kinds = dict(
            self.env["atelier.academy.connection"]
            ._fields["kind"]
            ._description_selection(self.env)
        )
        connections = [
            {
                "kind": kinds.get(kind, kind),
                "start": self._fmt(start),
                "end": self._fmt(stop),
                "credited_min": round((seconds or 0) / 60.0, 1),
                "ip_address": ip or "",
                "user_agent": ua or "",
            }
            for kind, start, stop, seconds, ip, ua in cr.fetchall()
        ]

        evaluations = []
        attempts = (
            self.env["atelier.academy.quiz.attempt"]
            .sudo()
            .search(
                [("partner_id", "=", partner.id), ("channel_id", "in", channels.ids)],
                order="create_date, id",
            )
        )
        for attempt in attempts:
            evaluations.append(
                {
                    "date": self._fmt(attempt.create_date),
                    "kind": self.env._("Quiz"),
                    "course": attempt.channel_id.name,
                    "title": attempt.slide_id.name,
                    "score": round(attempt.score, 1),
                    "passed": yes if attempt.score >= 100 else no,
                }
            )
        exams = (
            self.env["survey.user_input"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("slide_id.channel_id", "in", channels.ids),
                    ("state", "=", "done"),
                    ("test_entry", "=", False),
                ],
                order="end_datetime, id",
            )
        )
        for exam in exams:
            evaluations.append(
                {
                    "date": self._fmt(exam.end_datetime),
                    "kind": self.env._("Exam"),
                    "course": exam.slide_id.channel_id.name,
                    "title": exam.survey_id.title,
                    "score": round(exam.scoring_percentage, 1),
                    "passed": yes if exam.scoring_success else no,
                }
            )
        evaluations.sort(key=lambda row: row["date"])

        att_states = dict(
            self.env["atelier.academy.attendance"]
            ._fields["state"]
            ._description_selection(self.env)
        )
        attendance = [
            {
                "date": self._fmt(line.session_id.start),
                "session": line.session_id.name,
                "coach": line.session_id.coach_id.name or "",
                "hours": round(line.session_id.duration, 2),
                "attendance": att_states.get(line.state, line.state),
            }
            for line in enrolment.attendance_ids.sorted(
                lambda a: (a.session_id.start, a.id)
            )
        ]
        halves = dict(
            self.env["atelier.academy.signature"]
            ._fields["half_day"]
            ._description_selection(self.env)
        )
        signatures = [
            {
                "day": str(sig.day),
                "half_day": halves.get(sig.half_day, sig.half_day),
                "signed_at": self._fmt(sig.signed_at),
                "ip_address": sig.ip_address or "",
                "user_agent": sig.user_agent or "",
                "sha256": sig.hash,
                "countersigned_by": sig.countersigned_by.name or "",
                "countersigned_at": self._fmt(sig.countersigned_at),
            }
            for sig in self.env["atelier.academy.signature"]
            .sudo()
            .search([("partner_id", "=", partner.id)], order="id")
        ]

        exchanges = [
            {
                "date": self._fmt(message.date),
                "channel": self.env._("Message"),
                "author": message.author_id.name or message.email_from or "",
                "subject": message.subject or "",
                "text": html2plaintext(message.body or "")[:2000],
            }
            for message in self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", enrolment._name),
                    ("res_id", "=", enrolment.id),
                    ("message_type", "in", ("comment", "email")),
                ],
                order="date, id",
            )
        ]
        # tickets when the helpdesk is installed (soft dependency)
        if "helpdesk.ticket" in self.env:
            Ticket = self.env["helpdesk.ticket"].sudo()
            for ticket in Ticket.search(
                [("partner_id", "=", partner.id)], order="create_date, id"
            ):
                exchanges.append(
                    {
                        "date": self._fmt(ticket.create_date),
                        "channel": self.env._("Ticket"),
                        "author": partner.name,
                        "subject": ticket.display_name,
                        "text": html2plaintext(ticket.description or "")[:2000],
                    }
                )
        exchanges.sort(key=lambda row: row["date"])

        reminders = [
            {
                "date": self._fmt(reminder.create_date),
                "kind": dict(
                    reminder._fields["kind"]._description_selection(self.env)
                ).get(reminder.kind),
                "email_to": reminder.email_to or "",
                "subject": reminder.subject or "",
                "last_activity": self._fmt(reminder.last_activity),
                "coach_activity": yes if reminder.coach_activity else no,
            }
            for reminder in enrolment.reminder_ids.sorted(
                lambda r: (r.create_date, r.id)
            )
        ]
        certificates = [
            {
                "code": cert.verification_code,
                "issued": self._fmt(cert.issue_date),
                "state": dict(
                    cert._fields["state"]._description_selection(self.env)
                ).get(cert.state),
                "url": cert._atelier_verify_url(),
            }
            for cert in enrolment.certificate_ids
        ]
        measured_seconds = sum(
            int(round(row["measured_min"] * 60)) for row in activities
        )
        estimated_minutes = sum(row["estimated_min"] for row in activities)
        coaching_hours = sum(line.hours for line in enrolment.attendance_ids)
        first_days = [
            row["first_activity"] for row in activities if row["first_activity"]
        ]
        last_days = [row["last_activity"] for row in activities if row["last_activity"]]
        company = enrolment.company_id
        return {
            "learner": partner.name,
            "email": partner.email or "",
            "path": enrolment.path_id.name,
            "package": enrolment.package_id.name or "",
            "coach": enrolment.coach_id.name or "",
            "intake": enrolment.intake_id.name or "",
            "origin": enrolment.origin or "",
            "state": dict(
                enrolment._fields["state"]._description_selection(self.env)
            ).get(enrolment.state),
            "date_start": str(enrolment.date_start or ""),
            "date_end": str(enrolment.date_end or ""),
            "hours_sold": enrolment.hours_sold,
            "hours_consumed": enrolment.hours_consumed,
            "hours_left": enrolment.hours_left,
            "company": company.name,
            "company_city": company.city or "",
            "generated_at": self._fmt(fields.Datetime.now()),
            "courses": [
                {
                    "course": line["channel"].name,
                    "completion": line["completion"],
                    "score": round(line["score"], 1),
                    "min_score": line["line"].min_score,
                    "measured_min": line["seconds"] // 60,
                    "min_minutes": line["line"].min_minutes,
                    "passed": yes if line["passed"] else no,
                }
                for line in progress["lines"]
            ],
            "realisation": {
                "first_activity": min(first_days) if first_days else "",
                "last_activity": max(last_days) if last_days else "",
                "measured_hours": round(measured_seconds / 3600.0, 2),
                "estimated_hours": round(estimated_minutes / 60.0, 2),
                "coaching_hours": round(coaching_hours, 2),
                "completed_lessons": sum(
                    1 for row in activities if row["completed"] == yes
                ),
                "lessons": len(activities),
            },
            "activities": activities,
            "connections": connections,
            "evaluations": evaluations,
            "attendance": attendance,
            "signatures": signatures,
            "exchanges": exchanges,
            "reminders": reminders,
            "certificates": certificates,
        }

    @api.model
    def _fmt(self, value):
        return fields.Datetime.to_string(value) if value else ""

    @api.model
    def _atelier_evidence_models(self):
        return (
            "atelier.academy.timelog",
            "atelier.academy.connection",
            "atelier.academy.quiz.attempt",
            "atelier.academy.signature",
            "atelier.academy.reminder",
            "atelier.academy.attendance",
            "slide.slide.partner",
            "survey.user_input",
        )

    # ------------------------------------------------------------------
    # Pack
    # ------------------------------------------------------------------
    CSV_FILES = [
        ("activities.csv", "activities"),
        ("connections.csv", "connections"),
        ("evaluations.csv", "evaluations"),
        ("attendance.csv", "attendance"),
        ("signatures.csv", "signatures"),
        ("exchanges.csv", "exchanges"),
        ("reminders.csv", "reminders"),
        ("certificates.csv", "certificates"),
    ]

    @api.model
    def _atelier_csv(self, rows):
        buffer = io.StringIO()
        if rows:
            writer = csv.DictWriter(
                buffer, fieldnames=list(rows[0]), delimiter=";", lineterminator="\r\n"
            )
            writer.writeheader()
            writer.writerows(rows)
        # a BOM so that spreadsheet software reads UTF-8 (accents)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")

    @api.model
    def _atelier_audit_pack(self, enrolment, with_pdf=True):
        """(file name, zip bytes, manifest) of one learner's audit pack."""
        data = self._atelier_audit_data(enrolment)
        files = {name: self._atelier_csv(data[key]) for name, key in self.CSV_FILES}
        if with_pdf:
            pdf, _type = (
                self.env["ir.actions.report"]
                .sudo()
                .with_context(lang=enrolment.partner_id.lang or self.env.lang)
                ._render_qweb_pdf(
                    "atelier_academy.action_report_audit_pack",
                    res_ids=[enrolment.id],
                    data={"audit": data},
                )
            )
            files["audit_pack.pdf"] = pdf
        manifest = {
            "learner": data["learner"],
            "path": data["path"],
            "enrolment": enrolment.id,
            "generated_at": data["generated_at"],
            "algorithm": "SHA-256",
            "files": [
                {
                    "name": name,
                    "bytes": len(content),
                    "sha256": hashlib.sha256(content).hexdigest(),
                }
                for name, content in sorted(files.items())
            ],
        }
        manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
        sums = "".join(
            f"{entry['sha256']}  {entry['name']}\n" for entry in manifest["files"]
        ).encode()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in sorted(files.items()):
                archive.writestr(name, content)
            archive.writestr("manifest.json", manifest_bytes)
            archive.writestr("SHA256SUMS", sums)
        slug = re.sub(r"[^A-Za-z0-9]+", "-", data["learner"] or "learner").strip("-")
        filename = f"audit-pack-{slug.lower()}-{enrolment.id}.zip"
        return filename, buffer.getvalue(), manifest

    # ------------------------------------------------------------------
    # Retention
    # ------------------------------------------------------------------
    @api.model
    def _cron_purge_evidence(self):
        """Delete evidence older than the retention period and log it."""
        years = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("atelier_academy.retention_years", 3)
        )
        cutoff = fields.Datetime.now() - timedelta(days=365 * years + years // 4)
        for model in self._atelier_evidence_models():
            self.env[model].flush_model()
        counts = {}
        for table, column in PURGED:
            self.env.cr.execute(
                SQL(
                    "DELETE FROM %s WHERE %s < %s",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    cutoff,
                )
            )
            counts[table] = self.env.cr.rowcount
        for model in self._atelier_evidence_models():
            self.env[model].invalidate_model()
        purged = ", ".join(f"{table}={count}" for table, count in counts.items())
        message = f"Academy evidence purged (older than {cutoff.date()}): {purged}"
        _logger.info(message)
        self.env["ir.logging"].sudo().create(
            {
                "name": "atelier_academy.retention",
                "type": "server",
                "level": "INFO",
                "dbname": self.env.cr.dbname,
                "message": message,
                "path": "atelier_academy",
                "func": "_cron_purge_evidence",
                "line": "0",
            }
        )
        return counts
