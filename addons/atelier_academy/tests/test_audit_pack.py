# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import csv
import hashlib
import io
import json
import zipfile
from datetime import datetime, timedelta

from pypdf import PdfReader

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from .common import AcademyFixtures

FILES = {
    "activities.csv",
    "attendance.csv",
    "audit_pack.pdf",
    "certificates.csv",
    "connections.csv",
    "evaluations.csv",
    "exchanges.csv",
    "reminders.csv",
    "signatures.csv",
}


@tagged("post_install", "-at_install")
class TestAuditPack(AcademyFixtures, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_academy("audit")
        cls.enrolment = cls.enrol(cls.learner)
        cls.enrolment.coach_id = cls.coach
        now = fields.Datetime.now()
        cls.add_minutes(
            cls.learner, cls.course1["article1"], 3, start=now - timedelta(hours=2)
        )
        cls.pass_course(cls.learner, cls.course1)
        start = now - timedelta(days=1)
        session = cls.env["atelier.academy.session"].create(
            {
                "name": "Coaching: bilan de positionnement",
                "coach_id": cls.coach.id,
                "start": start,
                "stop": start + timedelta(hours=1),
                "enrolment_ids": [(6, 0, cls.enrolment.ids)],
            }
        )
        session.attendance_ids.action_present()
        cls.signature = cls.env["atelier.academy.signature"]._atelier_sign(
            cls.enrolment, "192.0.2.7", "Firefox de test"
        )
        cls.enrolment.with_user(cls.coach).message_post(
            body="Bravo pour le premier module, on vise l'électrique ensuite.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        cls.env["atelier.academy.reminder"].create(
            {
                "enrolment_id": cls.enrolment.id,
                "subject": "Votre formation vous attend",
                "email_to": cls.learner.email,
                "last_activity": now - timedelta(days=8),
            }
        )

    def build(self):
        Evidence = self.env["atelier.academy.evidence"].with_context(
            force_report_rendering=True
        )
        return Evidence._atelier_audit_pack(self.enrolment)

    def read_csv(self, archive, name):
        text = archive.read(name).decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text), delimiter=";"))

    def test_content_and_hashes(self):
        filename, content, manifest = self.build()
        self.assertTrue(filename.startswith("audit-pack-lina-apprenante-"))
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = set(archive.namelist())
        self.assertEqual(names, FILES | {"manifest.json", "SHA256SUMS"})
        stored = json.loads(archive.read("manifest.json"))
        self.assertEqual(stored, manifest)
        self.assertEqual({entry["name"] for entry in stored["files"]}, FILES)
        for entry in stored["files"]:
            data = archive.read(entry["name"])
            self.assertEqual(
                hashlib.sha256(data).hexdigest(), entry["sha256"], entry["name"]
            )
            self.assertEqual(len(data), entry["bytes"])
        sums = archive.read("SHA256SUMS").decode().splitlines()
        self.assertEqual(
            sums, [f"{entry['sha256']}  {entry['name']}" for entry in stored["files"]]
        )

        activities = self.read_csv(archive, "activities.csv")
        lesson = next(row for row in activities if row["lesson"].endswith("leçon 1"))
        self.assertEqual(lesson["estimated_min"], "15")
        self.assertEqual(float(lesson["measured_min"]), 3.0)
        self.assertEqual(lesson["completed"], "yes")
        self.assertEqual(len(activities), 12)  # 3 courses x 4 lessons
        evaluations = self.read_csv(archive, "evaluations.csv")
        kinds = sorted(row["kind"] for row in evaluations)
        self.assertEqual(kinds, ["Exam", "Quiz"])
        self.assertEqual(
            {row["kind"]: float(row["score"]) for row in evaluations},
            {"Exam": 100.0, "Quiz": 100.0},
        )
        connections = self.read_csv(archive, "connections.csv")
        self.assertEqual(sum(float(row["credited_min"]) for row in connections), 3.0)
        attendance = self.read_csv(archive, "attendance.csv")
        self.assertEqual(attendance[0]["attendance"], "Present")
        signatures = self.read_csv(archive, "signatures.csv")
        self.assertEqual(signatures[0]["sha256"], self.signature.hash)
        self.assertEqual(signatures[0]["ip_address"], "192.0.2.7")
        exchanges = self.read_csv(archive, "exchanges.csv")
        self.assertTrue(any("premier module" in row["text"] for row in exchanges))
        reminders = self.read_csv(archive, "reminders.csv")
        self.assertEqual(reminders[0]["subject"], "Votre formation vous attend")

        pdf = archive.read("audit_pack.pdf")
        reader = PdfReader(io.BytesIO(pdf))
        text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
        self.assertIn("Certificate of completion", text)
        self.assertIn("Lina Apprenante", text)
        self.assertIn(self.path.name, text)
        self.assertIn(self.signature.hash[:20], text.replace(" ", ""))
        self.assertIn("Coaching: bilan de positionnement", text)

    def test_download_over_http(self):
        url = f"/academy/audit-pack/{self.enrolment.id}"
        self.assertIn("/web/login", self.url_open(url).url)  # public: sign in first
        self.authenticate(self.learner2.login, self.learner2.login)
        self.assertEqual(self.url_open(url).status_code, 404)
        self.authenticate(self.coach2.login, self.coach2.login)
        self.assertEqual(self.url_open(url).status_code, 404)
        self.authenticate(self.learner.login, self.learner.login)
        response = self.url_open(url, timeout=60)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/zip")
        self.assertIn(
            "manifest.json", zipfile.ZipFile(io.BytesIO(response.content)).namelist()
        )

    def test_purge_after_retention(self):
        old = datetime.now() - timedelta(days=3 * 365 + 10)
        enrolment2 = self.enrol(self.learner2)
        self.add_minutes(self.learner2, self.course1["article2"], 1, start=old)
        self.env["atelier.academy.signature"]._atelier_sign(
            enrolment2, "192.0.2.8", "vieux", now=old
        )
        self.env.cr.execute(
            SQL(
                "UPDATE atelier_academy_quiz_attempt SET create_date = %s "
                "WHERE id = %s",
                old,
                self.env["atelier.academy.quiz.attempt"].search([], limit=1).id,
            )
        )
        Timelog = self.env["atelier.academy.timelog"]
        before = Timelog.search_count([])
        counts = self.env["atelier.academy.evidence"]._cron_purge_evidence()
        self.assertEqual(counts["atelier_academy_timelog"], 1)
        self.assertEqual(counts["atelier_academy_signature"], 1)
        self.assertEqual(counts["atelier_academy_connection"], 1)
        self.assertEqual(counts["atelier_academy_quiz_attempt"], 1)
        self.assertEqual(counts["atelier_academy_reminder"], 0)
        self.assertEqual(Timelog.search_count([]), before - 1)
        # recent evidence stays
        self.assertTrue(self.signature.exists())
        self.assertTrue(
            Timelog.search([("slide_id", "=", self.course1["article1"].id)])
        )
        log = self.env["ir.logging"].search(
            [("name", "=", "atelier_academy.retention")], order="id desc", limit=1
        )
        self.assertIn("atelier_academy_timelog=1", log.message)
        self.assertIn("atelier_academy_signature=1", log.message)
