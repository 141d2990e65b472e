# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from odoo.addons.atelier_academy.tests.common import AcademyFixtures


@tagged("post_install", "-at_install")
class TestAcademyCareer(AcademyFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_academy("carac")
        cls.enrolment = cls.enrol(cls.learner)
        for course in (cls.course1, cls.course2, cls.course3):
            cls.pass_course(cls.learner, course)
        cls.path.min_minutes = 0
        cls.env["atelier.academy.enrolment"]._cron_issue_certificates()
        cls.certificate = cls.enrolment.certificate_ids
        cls.cv = (
            cls.env["atelier.career.cv"]
            .with_user(cls.learner)
            .create({"name": "CV Lina", "full_name": "Lina Apprenante"})
        )

    def test_import_certificates_and_courses_once(self):
        self.assertEqual(len(self.certificate), 1)
        cv = self.cv.with_user(self.learner)
        count = cv.action_import_academy()
        lines = cv.line_ids.filtered(lambda x: x.section == "certificate")
        self.assertEqual(count, len(lines))
        by_ref = {line.source_ref: line for line in lines}
        line = by_ref[f"atelier.academy.certificate,{self.certificate.id}"]
        self.assertEqual(line.url, self.certificate._atelier_verify_url())
        self.assertIn(f"/academy/verify/{self.certificate.verification_code}", line.url)
        self.assertEqual(line.title, self.certificate.path_name)
        completed = (
            self.env["slide.channel.partner"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.learner.partner_id.id),
                    ("member_status", "=", "completed"),
                ]
            )
        )
        self.assertTrue(completed, "the fixture completes courses")
        for member in completed:
            course_line = by_ref[f"slide.channel,{member.channel_id.id}"]
            self.assertTrue(course_line.url.endswith(member.channel_id.website_url))
        self.assertEqual(count, 1 + len(completed))
        # a second click adds nothing
        self.assertEqual(cv.action_import_academy(), 0)
        self.assertEqual(len(cv.line_ids), count)

    def test_import_refuses_another_learner(self):
        with self.assertRaises(AccessError):
            self.cv.with_user(self.learner2).action_import_academy()
        self.assertFalse(self.cv.line_ids)
        # the other learner's own CV gets only their own records: none
        own = (
            self.env["atelier.career.cv"]
            .with_user(self.learner2)
            .create({"name": "CV Marc"})
        )
        self.assertEqual(own.with_user(self.learner2).action_import_academy(), 0)

    def test_courses_recommended_from_weak_criteria(self):
        Channel = self.env["slide.channel"].sudo()
        safety = Channel.create(
            [
                {
                    "name": f"Sécurité et habilitation électrique {n}",
                    "is_published": True,
                }
                for n in (1, 2, 3)
            ]
        )
        planning = Channel.create(
            {"name": "Organiser le planning de l'atelier", "is_published": True}
        )
        Channel.create({"name": "Comptabilité de l'atelier", "is_published": True})
        Channel.create({"name": "Sécurité des hybrides (brouillon)"})
        chef = self.env.ref("atelier_career.persona_chef_atelier")
        session = (
            self.env["atelier.career.session"]
            .sudo()
            .create(
                {
                    "user_id": self.learner.id,
                    "persona_id": chef.id,
                    "consent_date": fields.Datetime.now(),
                    "state": "done",
                }
            )
        )
        self.assertEqual(session._recommended_courses(), [], "no score, no course")
        Score = self.env["atelier.career.score"].sudo()
        Score.create(
            [
                {"session_id": session.id, "criterion": "Sécurité", "score": 1},
                {"session_id": session.id, "criterion": "Organisation", "score": 2},
                {"session_id": session.id, "criterion": "Relation client", "score": 4},
            ]
        )
        courses = session._recommended_courses()
        self.assertEqual(len(courses), 3)
        names = [course["name"] for course in courses]
        # the weakest criterion first, then one course for the next weak one
        self.assertEqual(courses[0]["criterion"], "Sécurité")
        self.assertEqual(courses[1]["name"], planning.name)
        self.assertEqual(courses[1]["criterion"], "Organisation")
        self.assertEqual(courses[2]["criterion"], "Sécurité")
        self.assertIn(safety[0].name, names)
        self.assertNotIn("Comptabilité de l'atelier", names)
        self.assertNotIn("Sécurité des hybrides (brouillon)", names, "unpublished")
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        self.assertEqual(courses[1]["url"], f"{base}{planning.website_url}")
