# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .common import AcademyFixtures


@tagged("post_install", "-at_install")
class TestTours(AcademyFixtures, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_academy("tour")

    def test_visitor_takes_the_placement_test(self):
        survey = self.env["survey.survey"].create(
            {
                "title": "tour Test de positionnement",
                "atelier_kind": "placement",
                "scoring_type": "scoring_without_answers",
                "access_mode": "public",
                "questions_layout": "page_per_section",
                "question_and_page_ids": [
                    Command.create({"title": "Vous", "is_page": True, "sequence": 1}),
                    Command.create(
                        {
                            "title": "Votre e-mail",
                            "sequence": 2,
                            "question_type": "char_box",
                            "validation_email": True,
                            "save_as_email": True,
                            "constr_mandatory": True,
                        }
                    ),
                    Command.create(
                        {
                            "title": "Moteurs",
                            "is_page": True,
                            "sequence": 3,
                            "atelier_domain": "thermal",
                        }
                    ),
                    Command.create(
                        self._choice_question(
                            "thermal 0", self.comp_misfire, 4, good=2.0
                        )
                    ),
                    Command.create(
                        {
                            "title": "Électrique",
                            "is_page": True,
                            "sequence": 5,
                            "atelier_domain": "electric",
                        }
                    ),
                    Command.create(
                        self._choice_question("electric 0", self.comp_ht, 6, good=2.0)
                    ),
                ],
            }
        )
        self.env["atelier.academy.placement.band"].create(
            {"name": "Tous", "survey_id": survey.id, "path_id": self.path_short.id}
        )
        self.start_tour(
            f"/survey/start/{survey.access_token}", "atelier_academy_placement_tour"
        )
        result = self.env["atelier.academy.placement.result"].search(
            [("survey_id", "=", survey.id)]
        )
        self.assertEqual(result.email, "visiteur.tour@example.com")
        self.assertEqual(result.partner_id.email, "visiteur.tour@example.com")
        self.assertEqual(result.global_score, 50.0)
        self.assertEqual(result.path_id, self.path_short)

    def test_learner_completes_a_lesson_and_sees_progress(self):
        enrolment = self.enrol(self.learner)
        channel = self.course1["channel"]
        self.start_tour(
            f"/slides/{self.env['ir.http']._slug(channel)}",
            "atelier_academy_learner_tour",
            login=self.learner.login,
        )
        self.assertTrue(
            self.course1["article1"].with_user(self.learner).user_has_completed
        )
        self.assertEqual(len(enrolment.signature_ids), 1)
        self.assertTrue(enrolment.signature_ids.hash)

    def test_coach_sees_weak_competencies_and_marks_attendance(self):
        enrolment = self.env["atelier.academy.enrolment"]._atelier_enrol(
            self.learner.partner_id, self.package, "tour:coach", coach=self.coach
        )
        quiz = self.course2["quiz"]
        wrong = quiz.question_ids.answer_ids.filtered(lambda a: not a.is_correct)
        Attempt = self.env["atelier.academy.quiz.attempt"]
        for _i in range(2):
            Attempt.create(
                {
                    "partner_id": self.learner.partner_id.id,
                    "slide_id": quiz.id,
                    "score": 0.0,
                    "line_ids": [
                        Command.create(
                            {
                                "question_id": wrong.question_id.id,
                                "answer_id": wrong.id,
                                "correct": False,
                            }
                        )
                    ],
                }
            )
        start = fields.Datetime.now() - timedelta(hours=1)
        session = self.env["atelier.academy.session"].create(
            {
                "name": "Coaching sécurité HT",
                "coach_id": self.coach.id,
                "start": start,
                "stop": start + timedelta(hours=2),
                "enrolment_ids": [Command.set(enrolment.ids)],
            }
        )
        self.start_tour(
            "/odoo/action-atelier_academy.atelier_academy_cockpit_action",
            "atelier_academy_coach_tour",
            login=self.coach.login,
        )
        self.assertEqual(session.attendance_ids.state, "present")
        self.assertEqual(enrolment.hours_consumed, 2.0)
