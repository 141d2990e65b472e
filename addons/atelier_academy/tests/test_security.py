# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import inspect
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from .common import AcademyFixtures

# Every public method our addon defines (callable over RPC by any user) and
# how it protects itself; the tests below prove each refusal.
PUBLIC_METHODS = {
    "atelier.academy.enrolment": {
        "action_download_audit_pack",  # check_access + coach group
        "action_issue_certificate",  # check_access("write")
    },
    "atelier.academy.intake": {"action_open_sessions", "action_open_progress"},  # read
    "atelier.academy.session": {"action_done", "action_cancel"},  # ORM write
    "atelier.academy.attendance": {
        "action_present",
        "action_late",
        "action_absent",
        "action_excused",
    },  # ORM write
    "atelier.academy.signature": {"action_countersign"},  # coach + check_access
    "atelier.academy.certificate": {"action_download_pdf"},  # check_access
    "atelier.academy.cockpit": {"get_cockpit_data"},  # coach group + rules
}


@tagged("post_install", "-at_install")
class TestSecurity(AcademyFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_academy("sec")
        Intake = cls.env["atelier.academy.intake"]
        cls.intake_a = Intake.create({"name": "Promo A", "coach_id": cls.coach.id})
        cls.intake_b = Intake.create({"name": "Promo B", "coach_id": cls.coach2.id})
        cls.enrolment_a = cls.enrol(cls.learner, package=cls.team_package)
        cls.enrolment_a.intake_id = cls.intake_a
        cls.enrolment_b = cls.env["atelier.academy.enrolment"]._atelier_enrol(
            cls.learner2.partner_id, cls.package, "sec:b", coach=cls.coach2
        )
        cls.enrolment_b.intake_id = cls.intake_b
        start = fields.Datetime.now() + timedelta(days=2)
        cls.session_a = cls.env["atelier.academy.session"].create(
            {
                "name": "Séance A",
                "intake_id": cls.intake_a.id,
                "coach_id": cls.coach.id,
                "start": start,
                "stop": start + timedelta(hours=2),
            }
        )
        cls.session_b = cls.env["atelier.academy.session"].create(
            {
                "name": "Séance B",
                "intake_id": cls.intake_b.id,
                "coach_id": cls.coach2.id,
                "start": start,
                "stop": start + timedelta(hours=2),
            }
        )
        Signature = cls.env["atelier.academy.signature"]
        cls.sig_a = Signature._atelier_sign(cls.enrolment_a, "10.0.0.1", "tests")
        cls.sig_b = Signature._atelier_sign(cls.enrolment_b, "10.0.0.2", "tests")

    def test_public_methods_are_listed(self):
        """A new public method must be added here, with its refusal test."""
        for model_name, expected in PUBLIC_METHODS.items():
            cls = type(self.env[model_name])
            found = set()
            for klass in cls.__mro__:
                if getattr(klass, "_module", None) != "atelier_academy":
                    continue
                for name, member in vars(klass).items():
                    if (
                        not name.startswith("_")
                        and inspect.isfunction(member)
                        and not getattr(member, "_api_private", False)
                        and name not in ("create", "write", "unlink", "copy")
                    ):
                        found.add(name)
            self.assertEqual(found, expected, model_name)
        # models we only extend add no public method
        for model_name in (
            "slide.channel",
            "slide.slide",
            "survey.user_input",
            "res.partner",
            "atelier.academy.timelog",
            "atelier.academy.placement.result",
            "atelier.academy.evidence",
        ):
            for klass in type(self.env[model_name]).__mro__:
                if getattr(klass, "_module", None) != "atelier_academy":
                    continue
                public = {
                    name
                    for name, member in vars(klass).items()
                    if not name.startswith("_") and inspect.isfunction(member)
                }
                self.assertLessEqual(
                    public,
                    {"action_set_viewed", "action_mark_completed", "create"},
                    model_name,
                )

    def test_coaches_see_their_intakes_only(self):
        Enrolment = self.env["atelier.academy.enrolment"]
        self.assertEqual(Enrolment.with_user(self.coach).search([]), self.enrolment_a)
        self.assertEqual(Enrolment.with_user(self.coach2).search([]), self.enrolment_b)
        self.assertEqual(
            self.env["atelier.academy.intake"].with_user(self.coach).search([]),
            self.intake_a,
        )
        self.assertEqual(
            self.env["atelier.academy.session"].with_user(self.coach).search([]),
            self.session_a,
        )
        self.assertEqual(
            self.env["atelier.academy.signature"].with_user(self.coach).search([]),
            self.sig_a,
        )
        with self.assertRaises(AccessError):
            self.enrolment_b.with_user(self.coach).read(["partner_id"])
        with self.assertRaises(AccessError):
            self.session_b.attendance_ids.with_user(self.coach).write(
                {"state": "present"}
            )
        with self.assertRaises(AccessError):
            self.session_b.with_user(self.coach).action_done()
        # a manager sees everything
        self.assertEqual(
            Enrolment.with_user(self.manager).search([]),
            self.enrolment_a | self.enrolment_b,
        )
        # the coach of the intake sees its learner even when coached by another
        self.enrolment_a.coach_id = self.coach2
        self.assertIn(self.enrolment_a, Enrolment.with_user(self.coach).search([]))

    def test_learners_see_their_own_only(self):
        for model in (
            "atelier.academy.enrolment",
            "atelier.academy.signature",
            "atelier.academy.attendance",
            "atelier.academy.certificate",
            "atelier.academy.timelog",
            "atelier.academy.quiz.attempt",
            "atelier.academy.connection",
        ):
            records = self.env[model].with_user(self.learner).search([])
            self.assertFalse(
                records.filtered(
                    lambda r: r.sudo().partner_id != self.learner.partner_id
                ),
                model,
            )
        self.assertEqual(
            self.env["atelier.academy.signature"].with_user(self.learner).search([]),
            self.sig_a,
        )
        with self.assertRaises(AccessError):
            self.sig_b.with_user(self.learner).read(["hash"])
        with self.assertRaises(AccessError):
            self.env["atelier.academy.intake"].with_user(self.learner).search([])
        with self.assertRaises(AccessError):
            self.env["atelier.academy.session"].with_user(self.learner).search([])
        # nobody writes evidence through the ORM
        with self.assertRaises(AccessError):
            self.sig_a.with_user(self.learner).write({"ip_address": "1.1.1.1"})
        with self.assertRaises(AccessError):
            self.env["atelier.academy.timelog"].with_user(self.learner).create(
                {
                    "partner_id": self.learner.partner_id.id,
                    "slide_id": self.course1["article1"].id,
                    "channel_id": self.course1["channel"].id,
                    "day": fields.Date.today(),
                    "seconds": 99999,
                }
            )

    def test_public_methods_refuse(self):
        # audit pack and certificate: learners use their portal, not RPC
        with self.assertRaises(AccessError):
            self.enrolment_a.with_user(self.learner).action_download_audit_pack()
        with self.assertRaises(AccessError):
            self.enrolment_b.with_user(self.coach).action_download_audit_pack()
        self.assertEqual(
            self.enrolment_a.with_user(self.coach).action_download_audit_pack()["url"],
            f"/academy/audit-pack/{self.enrolment_a.id}",
        )
        with self.assertRaises(AccessError):
            self.enrolment_a.with_user(self.learner).action_issue_certificate()
        with self.assertRaises(AccessError):
            self.enrolment_b.with_user(self.coach).action_issue_certificate()
        # a coach cannot issue what is not earned
        with self.assertRaisesRegex(UserError, "is not passed yet"):
            self.enrolment_a.with_user(self.coach).action_issue_certificate()
        with self.assertRaises(AccessError):
            self.intake_b.with_user(self.coach).action_open_sessions()
        with self.assertRaises(AccessError):
            self.intake_b.with_user(self.learner).action_open_progress()
        with self.assertRaises(AccessError):
            self.session_a.with_user(self.learner).action_cancel()
        with self.assertRaises(AccessError):
            self.session_a.attendance_ids.with_user(self.learner).action_present()
        for method in ("action_late", "action_absent", "action_excused"):
            with self.assertRaises(AccessError):
                getattr(self.session_b.attendance_ids.with_user(self.coach), method)()
        # countersigning: the learner cannot, the other coach cannot
        with self.assertRaises(UserError):
            self.sig_a.with_user(self.learner).action_countersign()
        with self.assertRaises(AccessError):
            self.sig_b.with_user(self.coach).action_countersign()
        self.assertFalse(self.sig_b.countersigned_by)
        self.sig_a.with_user(self.coach).action_countersign()
        self.assertEqual(self.sig_a.countersigned_by, self.coach)
        self.assertTrue(self.sig_a.countersign_hash)
        # the cockpit is for coaches
        with self.assertRaises(AccessError):
            self.env["atelier.academy.cockpit"].with_user(
                self.learner
            ).get_cockpit_data()
        data = (
            self.env["atelier.academy.cockpit"].with_user(self.coach).get_cockpit_data()
        )
        self.assertEqual([row["id"] for row in data["learners"]], self.enrolment_a.ids)
        # certificates: only their owner (and coaches, managers)
        self.enrolment_b.sudo()._atelier_issue_certificate()  # blocked: nothing issued
        self.assertFalse(self.enrolment_b.certificate_ids)
