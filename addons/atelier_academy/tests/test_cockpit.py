# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from .common import AcademyFixtures


@tagged("post_install", "-at_install")
class TestCockpit(AcademyFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_academy("ckp")
        Enrolment = cls.env["atelier.academy.enrolment"]
        cls.enrolment = Enrolment._atelier_enrol(
            cls.learner.partner_id, cls.package, "ckp:1", coach=cls.coach
        )
        cls.enrolment2 = Enrolment._atelier_enrol(
            cls.learner2.partner_id, cls.package, "ckp:2", coach=cls.coach2
        )

    def test_figures(self):
        # quiz errors on course 1, then the course passed with an exam at 50 %
        self.course1["survey"].scoring_success_min = 40
        quiz = self.course1["quiz"]
        wrong = quiz.question_ids.answer_ids.filtered(lambda a: not a.is_correct)
        for key in ("article1", "article2"):
            self.course1[key].with_user(self.learner).action_mark_completed()
        quiz.with_user(self.learner)._atelier_record_quiz_attempt(wrong)
        self.complete_lessons(self.learner, self.course1)  # second attempt right
        self.take_exam(self.learner, self.course1, good_answers=1)
        self.add_minutes(self.learner, self.course1["article1"], 2)
        now = fields.Datetime.now()
        sessions = self.env["atelier.academy.session"].create(
            [
                {
                    "name": name,
                    "coach_id": self.coach.id,
                    "start": start,
                    "stop": start + timedelta(hours=2),
                    "enrolment_ids": [Command.set(self.enrolment.ids)],
                }
                for name, start in (
                    ("passée", now - timedelta(days=2)),
                    ("à venir", now + timedelta(days=2)),
                )
            ]
        )
        sessions[0].attendance_ids.action_present()

        data = (
            self.env["atelier.academy.cockpit"].with_user(self.coach).get_cockpit_data()
        )
        self.assertEqual(len(data["learners"]), 1, "only the coach's learners")
        row = data["learners"][0]
        self.assertEqual(row["partner"], "Lina Apprenante")
        self.assertEqual((row["passed"], row["total"]), (0, 3))  # 50 % < 70 %
        self.assertEqual(row["courses"][0]["completion"], 100)
        self.assertEqual(row["courses"][0]["score"], 50)
        self.assertFalse(row["courses"][1]["open"])
        self.assertEqual(row["minutes"], 2)
        self.assertEqual((row["attended"], row["due"]), (1, 1))
        self.assertEqual(row["hours_left"], 8.0)
        self.assertEqual(row["idle_days"], 0)
        # 3 answers on P03xx: the wrong quiz answer and the wrong exam answer
        weak = {w["code"]: w for w in row["weak"]}
        self.assertEqual(weak[self.comp_misfire.code]["errors"], 2)
        self.assertEqual(weak[self.comp_misfire.code]["total"], 4)
        self.assertEqual(data["weak"][0]["code"], self.comp_misfire.code)
        self.assertEqual(data["weak"][0]["learners"], 1)
        self.assertEqual([s["name"] for s in data["sessions"]], ["passée", "à venir"])
        # a manager sees both learners
        data = (
            self.env["atelier.academy.cockpit"]
            .with_user(self.manager)
            .get_cockpit_data()
        )
        self.assertEqual(len(data["learners"]), 2)

    def test_dropout_prevention(self):
        Enrolment = self.env["atelier.academy.enrolment"]
        old = fields.Datetime.now() - timedelta(days=9)
        self.env.cr.execute(
            SQL(
                "UPDATE atelier_academy_enrolment SET create_date = %s WHERE id IN %s",
                old,
                tuple((self.enrolment | self.enrolment2).ids),
            )
        )
        # learner 2 worked yesterday: not idle
        self.add_minutes(
            self.learner2,
            self.course1["article1"],
            1,
            start=fields.Datetime.now() - timedelta(days=1),
        )
        Enrolment._cron_dropout_prevention()
        reminder = self.env["atelier.academy.reminder"].search(
            [("enrolment_id", "in", (self.enrolment | self.enrolment2).ids)]
        )
        self.assertEqual(reminder.enrolment_id, self.enrolment)
        self.assertTrue(reminder.coach_activity)
        self.assertEqual(reminder.activity_id.user_id, self.coach)
        self.assertIn("Drop-out risk", reminder.activity_id.summary)
        self.assertEqual(
            reminder.mail_id.email_to or reminder.email_to, self.learner.email
        )
        self.assertIn(self.path.name, reminder.subject)
        self.assertIn(self.learner.partner_id, reminder.mail_id.recipient_ids)
        # once per idle period
        Enrolment._cron_dropout_prevention()
        self.assertEqual(
            self.env["atelier.academy.reminder"].search_count(
                [("enrolment_id", "=", self.enrolment.id)]
            ),
            1,
        )
