# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fixtures of the academy tests: users per role, three courses on a path,
a placement test with bands, packages. Tests never rely on demo data."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user


class AcademyFixtures:
    """Mixin: ``cls._setup_academy()`` from ``setUpClass``."""

    @classmethod
    def _setup_academy(cls, prefix="acad"):
        env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_notrack=True)
        )
        cls.env = env
        cls.prefix = prefix
        cls.env.company.country_id = cls.env.ref("base.fr")
        cls.coach = new_test_user(
            env,
            login=f"{prefix}_coach",
            name="Sophie Coach",
            email=f"{prefix}.coach@example.com",
            groups="atelier_base.group_coach",
        )
        cls.coach2 = new_test_user(
            env,
            login=f"{prefix}_coach2",
            name="Paul Coach",
            email=f"{prefix}.coach2@example.com",
            groups="atelier_base.group_coach",
        )
        cls.manager = new_test_user(
            env, login=f"{prefix}_manager", groups="atelier_base.group_manager"
        )
        cls.officer = new_test_user(
            env,
            login=f"{prefix}_officer",
            groups="base.group_user,website_slides.group_website_slides_officer",
        )
        cls.learner = cls._learner("learner", "Lina Apprenante")
        cls.learner2 = cls._learner("learner2", "Marc Apprenant")
        cls.outsider = cls._learner("outsider", "Olga Visiteuse")

        Competency = env["atelier.academy.competency"]
        cls.comp_ht = Competency.create(
            {
                "code": f"{prefix}-VE-isolation-HT",
                "name": "Isolement HT",
                "domain": "electric",
            }
        )
        cls.comp_can = Competency.create(
            {
                "code": f"{prefix}-multiplexage-CAN",
                "name": "Bus CAN",
                "domain": "diagnostics",
            }
        )
        cls.comp_misfire = Competency.create(
            {"code": f"{prefix}-P03xx", "name": "Ratés d'allumage", "domain": "thermal"}
        )

        cls.course1 = cls._course("Moteurs thermiques", "thermal", cls.comp_misfire)
        cls.course2 = cls._course(
            "Véhicule électrique", "electric", cls.comp_ht, sequential=True
        )
        cls.course3 = cls._course(
            "Diagnostic électronique", "diagnostics", cls.comp_can
        )
        Path = env["atelier.academy.path"]
        cls.path = Path.create(
            {
                "name": f"{prefix} Passage à l'électrique",
                "line_ids": [
                    Command.create(
                        {
                            "sequence": 1,
                            "channel_id": cls.course1["channel"].id,
                            "min_score": 70,
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 2,
                            "channel_id": cls.course2["channel"].id,
                            "min_score": 70,
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 3,
                            "channel_id": cls.course3["channel"].id,
                            "min_score": 70,
                        }
                    ),
                ],
            }
        )
        cls.path_short = Path.create(
            {
                "name": f"{prefix} Diagnostic seul",
                "line_ids": [
                    Command.create(
                        {"channel_id": cls.course3["channel"].id, "min_score": 50}
                    )
                ],
            }
        )
        Package = env["atelier.academy.package"]
        cls.package = Package.create(
            {
                "name": f"{prefix} Coaching primo-arrivants",
                "kind": "individual",
                "duration_weeks": 48,
                "coaching_hours": 10,
                "path_ids": [Command.set(cls.path.ids)],
                "coach_ids": [Command.set((cls.coach | cls.coach2).ids)],
            }
        )
        cls.team_package = Package.create(
            {
                "name": f"{prefix} Coaching garages pro",
                "kind": "team",
                "duration_weeks": 24,
                "coaching_hours": 20,
                "path_ids": [Command.set(cls.path.ids)],
                "coach_ids": [Command.set(cls.coach.ids)],
            }
        )

    # ------------------------------------------------------------------
    @classmethod
    def _learner(cls, login, name):
        return new_test_user(
            cls.env,
            login=f"{cls.prefix}_{login}",
            name=name,
            email=f"{cls.prefix}.{login}@example.com",
            groups="base.group_portal",
            tz="Europe/Paris",
        )

    @classmethod
    def _course(cls, name, domain, competency, sequential=False):
        env = cls.env
        channel = env["slide.channel"].create(
            {
                "name": f"{cls.prefix} {name}",
                "atelier_domain": domain,
                "atelier_sequential": sequential,
                "channel_type": "training",
                "enroll": "invite",
                "visibility": "public",
                "is_published": True,
            }
        )
        Slide = env["slide.slide"]
        article1 = Slide.create(
            {
                "name": f"{name}: leçon 1",
                "channel_id": channel.id,
                "slide_category": "article",
                "html_content": "<p>Contenu de la leçon 1</p>",
                "completion_time": 0.25,
                "is_published": True,
                "sequence": 1,
            }
        )
        article2 = Slide.create(
            {
                "name": f"{name}: leçon 2",
                "channel_id": channel.id,
                "slide_category": "article",
                "html_content": "<p>Contenu de la leçon 2</p>",
                "completion_time": 0.5,
                "is_published": True,
                "sequence": 2,
            }
        )
        quiz = Slide.create(
            {
                "name": f"{name}: quiz",
                "channel_id": channel.id,
                "slide_category": "quiz",
                "is_published": True,
                "sequence": 3,
                "question_ids": [
                    Command.create(
                        {
                            "question": f"{name}: question 1",
                            "atelier_competency_ids": [Command.set(competency.ids)],
                            "answer_ids": [
                                Command.create(
                                    {"text_value": "Bonne", "is_correct": True}
                                ),
                                Command.create(
                                    {"text_value": "Mauvaise", "is_correct": False}
                                ),
                            ],
                        }
                    )
                ],
            }
        )
        survey = env["survey.survey"].create(
            {
                "title": f"{cls.prefix} Examen {name}",
                "atelier_kind": "exam",
                "certification": True,
                "scoring_type": "scoring_without_answers",
                "scoring_success_min": 60,
                "is_attempts_limited": True,
                "attempts_limit": 3,
                "is_time_limited": True,
                "time_limit": 30,
                "access_mode": "token",
                "questions_layout": "page_per_question",
                "question_and_page_ids": [
                    Command.create(cls._choice_question(f"{name} Q{i}", competency, i))
                    for i in range(1, 3)
                ],
            }
        )
        exam = Slide.create(
            {
                "name": f"{name}: examen",
                "channel_id": channel.id,
                "slide_category": "certification",
                "survey_id": survey.id,
                "is_published": True,
                "sequence": 4,
            }
        )
        return {
            "channel": channel,
            "article1": article1,
            "article2": article2,
            "quiz": quiz,
            "exam": exam,
            "survey": survey,
        }

    @staticmethod
    def _choice_question(title, competency, sequence, good=1.0, bad=0.0):
        return {
            "title": title,
            "sequence": sequence,
            "question_type": "simple_choice",
            "atelier_competency_ids": [Command.set(competency.ids)],
            "suggested_answer_ids": [
                Command.create(
                    {"value": "Juste", "is_correct": True, "answer_score": good}
                ),
                Command.create(
                    {"value": "Faux", "is_correct": False, "answer_score": bad}
                ),
            ],
        }

    # ------------------------------------------------------------------
    # learner actions (the real code paths, as the learner)
    # ------------------------------------------------------------------
    @classmethod
    def enrol(cls, user, package=None, origin=None, path=None):
        Enrolment = cls.env["atelier.academy.enrolment"]
        return Enrolment._atelier_enrol(
            user.partner_id,
            package if package is not None else cls.package,
            origin or f"test:{user.login}",
            path=path,
        )

    @classmethod
    def complete_lessons(cls, user, course):
        for key in ("article1", "article2"):
            course[key].with_user(user).action_mark_completed()
        quiz = course["quiz"].with_user(user)
        answers = course["quiz"].question_ids.answer_ids.filtered("is_correct")
        quiz.action_set_viewed(quiz_attempts_inc=True)
        quiz._atelier_record_quiz_attempt(answers)
        quiz._action_mark_completed()

    @classmethod
    def take_exam(cls, user, course, good_answers=2):
        """Take the course exam as ``user``: ``good_answers`` of 2 right."""
        exam = course["exam"].with_user(user)
        exam.action_set_viewed()
        exam._generate_certification_url()
        UserInput = cls.env["survey.user_input"].sudo()
        domain = [
            ("slide_id", "=", course["exam"].id),
            ("partner_id", "=", user.partner_id.id),
        ]
        answer = UserInput.search(domain + [("state", "!=", "done")], limit=1)
        if not answer:
            # a new attempt, as the survey's retry route makes it
            previous = UserInput.search(domain, order="id desc", limit=1)
            answer = (
                course["survey"]
                .sudo()
                ._create_answer(
                    partner=user.partner_id,
                    invite_token=previous.invite_token,
                    slide_id=previous.slide_id.id,
                    slide_partner_id=previous.slide_partner_id.id,
                )
            )
        questions = course["survey"].question_ids.sorted("sequence")
        for index, question in enumerate(questions):
            choice = question.suggested_answer_ids.filtered(
                lambda a, right=index < good_answers: a.is_correct == right
            )
            cls.env["survey.user_input.line"].sudo().create(
                {
                    "user_input_id": answer.id,
                    "question_id": question.id,
                    "answer_type": "suggestion",
                    "suggested_answer_id": choice.id,
                }
            )
        answer._mark_done()
        return answer

    @classmethod
    def pass_course(cls, user, course, good_answers=2):
        cls.complete_lessons(user, course)
        return cls.take_exam(user, course, good_answers=good_answers)

    @classmethod
    def heartbeat(cls, user, slide, now, client_ts=None):
        return (
            cls.env["atelier.academy.timelog"]
            .with_user(user)
            ._atelier_heartbeat(slide.id, client_ts=client_ts, now=now)
        )

    @classmethod
    def add_minutes(cls, user, slide, minutes, start=None):
        """Measured time through real heartbeats, 30 s apart."""
        now = start or fields.Datetime.now() - timedelta(hours=3)
        for _i in range(minutes * 2 + 1):
            cls.heartbeat(user, slide, now)
            now += timedelta(seconds=30)
        return now
