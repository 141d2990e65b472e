# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import AcademyFixtures


@tagged("post_install", "-at_install")
class TestEnrolment(AcademyFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_academy("enr")
        cls.Enrolment = cls.env["atelier.academy.enrolment"]
        cls.employees = cls.env["res.partner"].create(
            [
                {"name": f"Salarié {index}", "email": f"s{index}@garage.example"}
                for index in range(9)
            ]
        )

    def test_enrol_once_per_origin(self):
        first = self.Enrolment._atelier_enrol(
            self.learner.partner_id, self.package, "sale.order,42"
        )
        self.assertEqual(first.state, "active")
        self.assertEqual(first.path_id, self.path)
        self.assertEqual(first.hours_sold, 10)
        self.assertEqual(first.date_end, first.date_start + timedelta(weeks=48))
        self.assertIn(first.coach_id, self.coach | self.coach2)
        # a replayed webhook: the same enrolment, nothing new
        again = self.Enrolment._atelier_enrol(
            self.learner.partner_id, self.package, "sale.order,42"
        )
        self.assertEqual(again, first)
        self.assertEqual(
            self.Enrolment.search_count(
                [("partner_id", "=", self.learner.partner_id.id)]
            ),
            1,
        )
        # another purchase is another enrolment
        other = self.Enrolment._atelier_enrol(
            self.learner.partner_id, self.package, "sale.order,43"
        )
        self.assertNotEqual(other, first)

    def test_team_seat_limit(self):
        origin = "sale.order.line,7"
        enrolled = self.Enrolment._atelier_enrol(
            self.employees[:5], self.team_package, origin
        )
        self.assertEqual(len(enrolled), 5)
        enrolled |= self.Enrolment._atelier_enrol(
            self.employees[5:8], self.team_package, origin
        )
        self.assertEqual(len(enrolled), 8, "8 employees accepted")
        self.assertEqual(set(enrolled.mapped("coach_id")), {self.coach})
        with self.assertRaisesRegex(UserError, "8 seats per purchase: 8 are taken"):
            self.Enrolment._atelier_enrol(self.employees[8], self.team_package, origin)
        self.assertEqual(self.Enrolment.search_count([("origin", "=", origin)]), 8)
        # re-inviting somebody already in the team is not a new seat
        self.assertEqual(
            self.Enrolment._atelier_enrol(self.employees[0], self.team_package, origin),
            enrolled[0],
        )
        # nine at once are refused as a whole
        with self.assertRaises(UserError):
            self.Enrolment._atelier_enrol(
                self.employees, self.team_package, "sale.order.line,8"
            )
        self.assertFalse(self.Enrolment.search([("origin", "=", "sale.order.line,8")]))

    def test_refusals(self):
        with self.assertRaisesRegex(UserError, "needs an origin"):
            self.Enrolment._atelier_enrol(self.learner.partner_id, self.package, "")
        with self.assertRaisesRegex(UserError, "not part of the package"):
            self.Enrolment._atelier_enrol(
                self.learner.partner_id, self.package, "x", path=self.path_short
            )
        empty = self.env["atelier.academy.package"].create({"name": "vide"})
        with self.assertRaisesRegex(UserError, "contains no learning path"):
            self.Enrolment._atelier_enrol(self.learner.partner_id, empty, "y")

    def test_least_busy_coach(self):
        first = self.Enrolment._atelier_enrol(
            self.learner.partner_id, self.package, "a"
        )
        second = self.Enrolment._atelier_enrol(
            self.learner2.partner_id, self.package, "b"
        )
        self.assertEqual((first | second).coach_id, self.coach | self.coach2)

    def test_revoke_removes_access_and_certificates(self):
        enrolment = self.enrol(self.learner)
        self.pass_course(self.learner, self.course1)
        self.pass_course(self.learner, self.course2)
        self.pass_course(self.learner, self.course3)
        certificate = enrolment.certificate_ids
        self.assertEqual(certificate.state, "valid")
        self.assertEqual(enrolment.state, "done")
        enrolment._atelier_revoke("Remboursement")
        self.assertEqual(enrolment.state, "revoked")
        self.assertEqual(certificate.state, "revoked")
        self.assertEqual(certificate.revoke_reason, "Remboursement")
        channels = self.path.line_ids.channel_id
        self.assertFalse(
            self.env["slide.channel.partner"].search(
                [
                    ("partner_id", "=", self.learner.partner_id.id),
                    ("channel_id", "in", channels.ids),
                ]
            )
        )
        self.assertIn(
            "The enrolment is revoked.", enrolment._atelier_certificate_blockers()
        )

    def test_revoke_keeps_courses_of_another_enrolment(self):
        first = self.enrol(self.learner, path=None)
        self.Enrolment._atelier_enrol(
            self.learner.partner_id, False, "free", path=self.path_short
        )
        first._atelier_revoke("x")
        members = self.env["slide.channel.partner"].search(
            [("partner_id", "=", self.learner.partner_id.id)]
        )
        self.assertEqual(members.channel_id, self.course3["channel"])

    def test_hours_consumed_from_attendance(self):
        enrolment = self.enrol(self.learner)
        start = fields.Datetime.now() - timedelta(days=1)
        sessions = self.env["atelier.academy.session"].create(
            [
                {
                    "name": f"Coaching {index}",
                    "coach_id": self.coach.id,
                    "start": start + timedelta(hours=3 * index),
                    "stop": start + timedelta(hours=3 * index, minutes=90),
                    "enrolment_ids": [(6, 0, enrolment.ids)],
                }
                for index in range(3)
            ]
        )
        attendance = sessions.attendance_ids
        self.assertEqual(len(attendance), 3)
        attendance[0].action_present()
        attendance[1].action_late()
        attendance[2].action_absent()
        self.assertEqual(enrolment.hours_consumed, 3.0)
        self.assertEqual(enrolment.hours_left, 7.0)
        sessions[1].action_cancel()
        self.assertEqual(enrolment.hours_consumed, 1.5)
