# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import AcademyFixtures


@tagged("post_install", "-at_install")
class TestGating(AcademyFixtures, TransactionCase):
    """The model methods refuse a locked step (RPC and glue callers)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_academy("gate")
        cls.c1, cls.c2, cls.c3 = cls.course1, cls.course2, cls.course3

    def member(self, user, course):
        return bool(
            self.env["slide.channel.partner"]
            .sudo()
            .search_count(
                [
                    ("partner_id", "=", user.partner_id.id),
                    ("channel_id", "=", course["channel"].id),
                ]
            )
        )

    def test_enrolment_opens_the_first_course_only(self):
        self.enrol(self.learner)
        self.assertTrue(self.member(self.learner, self.c1))
        self.assertFalse(self.member(self.learner, self.c2))
        # joining the second course (what the join route calls) is refused
        with self.assertRaisesRegex(UserError, "opens when"):
            self.c2["channel"].with_user(self.learner).sudo()._action_add_members(
                self.learner.partner_id
            )
        self.assertFalse(self.member(self.learner, self.c2))

    def test_next_course_opens_when_previous_passed_with_min_score(self):
        self.enrol(self.learner)
        # the exam passes at 40 % (Odoo's mark), the path wants 70 %: 50 % is
        # enough to complete the course, not to pass it
        self.c1["survey"].scoring_success_min = 40
        self.complete_lessons(self.learner, self.c1)
        self.take_exam(self.learner, self.c1, good_answers=1)
        reason = self.c2["channel"]._atelier_lock_reasons(self.learner.partner_id)[
            self.c2["channel"].id
        ]
        self.assertIn("70 %", reason)
        self.assertIn("your best score: 50 %", reason)
        self.assertFalse(self.member(self.learner, self.c2))
        # a second attempt at 100 %: the next course opens and is joined
        self.take_exam(self.learner, self.c1, good_answers=2)
        self.assertFalse(
            self.c2["channel"]._atelier_lock_reasons(self.learner.partner_id)[
                self.c2["channel"].id
            ]
        )
        self.assertTrue(self.member(self.learner, self.c2))
        self.assertFalse(self.member(self.learner, self.c3))

    def test_minimum_measured_time_gates_the_next_course(self):
        self.path.line_ids.filtered(
            lambda line: line.channel_id == self.c1["channel"]
        ).min_minutes = 2
        self.enrol(self.learner)
        self.pass_course(self.learner, self.c1)
        reason = self.c2["channel"]._atelier_lock_reasons(self.learner.partner_id)[
            self.c2["channel"].id
        ]
        self.assertIn("2 minutes of measured work", reason)
        self.add_minutes(self.learner, self.c1["article1"], 2)
        self.env["atelier.academy.enrolment"]._atelier_progress_changed(
            self.learner.partner_id
        )
        self.assertTrue(self.member(self.learner, self.c2))

    def test_lessons_in_order(self):
        self.enrol(self.learner)
        self.pass_course(self.learner, self.c1)
        lesson2 = self.c2["article2"].with_user(self.learner)
        with self.assertRaisesRegex(UserError, "open in order"):
            lesson2.action_mark_completed()
        with self.assertRaisesRegex(UserError, "open in order"):
            lesson2._action_mark_completed()
        with self.assertRaisesRegex(UserError, "open in order"):
            lesson2.action_set_viewed()
        quiz = self.c2["quiz"].with_user(self.learner)
        with self.assertRaisesRegex(UserError, "open in order"):
            quiz._atelier_record_quiz_attempt(
                self.c2["quiz"].question_ids.answer_ids[:1]
            )
        with self.assertRaisesRegex(UserError, "open in order"):
            self.c2["exam"].with_user(self.learner)._generate_certification_url()
        self.assertFalse(
            self.env["atelier.academy.quiz.attempt"].search(
                [("slide_id", "=", self.c2["quiz"].id)]
            )
        )
        self.assertFalse(lesson2.user_has_completed)
        # in order, it works
        self.c2["article1"].with_user(self.learner).action_mark_completed()
        lesson2.action_mark_completed()
        self.assertTrue(lesson2.user_has_completed)

    def test_course_without_order_is_free_inside(self):
        self.enrol(self.learner)
        self.c1["article2"].with_user(self.learner).action_mark_completed()
        self.assertTrue(self.c1["article2"].with_user(self.learner).user_has_completed)

    def test_learner_without_enrolment(self):
        # the first course of a path opens; a later one does not
        channel1 = self.c1["channel"].with_user(self.outsider)
        self.assertFalse(
            channel1._atelier_lock_reasons(self.outsider.partner_id)[channel1.id]
        )
        channel2 = self.c2["channel"].with_user(self.outsider)
        self.assertIn(
            "belongs to a learning path",
            channel2._atelier_lock_reasons(self.outsider.partner_id)[channel2.id],
        )
        # the short path starts with course 3: it opens for anyone
        channel3 = self.c3["channel"].with_user(self.outsider)
        self.assertFalse(
            channel3._atelier_lock_reasons(self.outsider.partner_id)[channel3.id]
        )

    def test_odoo_prerequisites_are_enforced(self):
        free = self.env["slide.channel"].create(
            {"name": "gate libre", "is_published": True, "enroll": "public"}
        )
        follow = self.env["slide.channel"].create(
            {
                "name": "gate suite",
                "is_published": True,
                "enroll": "public",
                "prerequisite_channel_ids": [(6, 0, free.ids)],
            }
        )
        with self.assertRaisesRegex(UserError, "Finish the course “gate libre” first"):
            follow.with_user(self.outsider)._action_add_members(
                self.outsider.partner_id
            )
        # Odoo's own button-less path: action_grant_access on a public course
        with self.assertRaises(UserError):
            follow.with_user(self.outsider).action_grant_access(
                self.outsider.partner_id.id
            )
        self.assertFalse(follow.sudo().partner_ids)

    def test_course_staff_is_not_gated(self):
        self.assertFalse(
            self.c2["channel"]
            .with_user(self.officer)
            ._atelier_lock_reasons(self.officer.partner_id)[self.c2["channel"].id]
        )
        # but code running in sudo (glue) is
        self.assertTrue(
            self.c2["channel"]
            .with_user(self.officer)
            .sudo()
            ._atelier_lock_reasons(self.outsider.partner_id)[self.c2["channel"].id]
        )

    def test_revoked_enrolment_closes_the_path(self):
        enrolment = self.enrol(self.learner)
        enrolment._atelier_revoke("test")
        self.assertFalse(self.member(self.learner, self.c1))
        self.assertEqual(enrolment.state, "revoked")

    def test_prerequisite_on_a_path_course_does_not_break_progress(self):
        """A path course kept closed by an Odoo prerequisite is not joined,
        and completing the course before it still works."""
        other = self.env["slide.channel"].create(
            {"name": "gate prérequis", "is_published": True, "enroll": "public"}
        )
        self.c2["channel"].prerequisite_channel_ids = other
        self.enrol(self.learner)
        self.pass_course(self.learner, self.c1)
        self.assertFalse(self.member(self.learner, self.c2))
        self.assertIn(
            "Finish the course “gate prérequis” first",
            self.c2["channel"]._atelier_lock_reasons(self.learner.partner_id)[
                self.c2["channel"].id
            ],
        )
