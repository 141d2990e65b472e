# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CareerCase, cv_values, make_learner


@tagged("post_install", "-at_install")
class TestCareerSecurity(CareerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cv = cls.env["atelier.career.cv"].with_user(cls.learner).create(cv_values())
        cls.session = (
            cls.env["atelier.career.session"]
            .with_user(cls.learner)
            ._start(cls.chef, 10, consent=True)
        )
        cls.session.action_answer("J'ai mesuré la tension au multimètre : 12 V.")
        cls.session.action_end()

    def test_a_learner_never_sees_another_learner(self):
        Cv = self.env["atelier.career.cv"].with_user(self.other)
        self.assertFalse(Cv.search([]))
        self.assertFalse(
            self.env["atelier.career.session"].with_user(self.other).search([])
        )
        for model in (
            "atelier.career.message",
            "atelier.career.finding",
            "atelier.career.score",
            "atelier.career.cv.line",
        ):
            self.assertFalse(self.env[model].with_user(self.other).search([]), model)
        with self.assertRaises(AccessError):
            self.cv.with_user(self.other).read(["full_name"])
        with self.assertRaises(AccessError):
            self.cv.with_user(self.other).action_export_json()
        with self.assertRaises(AccessError):
            self.cv.with_user(self.other).action_duplicate()
        with self.assertRaises(AccessError):
            self.session.with_user(self.other).action_answer("bonjour")
        with self.assertRaises(AccessError):
            self.session.with_user(self.other).action_end()
        with self.assertRaises(AccessError):
            self.env["atelier.career.cv.line"].with_user(self.other).create(
                {"cv_id": self.cv.id, "section": "skill", "title": "Intrus"}
            )

    def test_service_fields_cannot_be_forged(self):
        cv = self.cv.with_user(self.learner)
        for values in (
            {"ats_state": "passed"},
            {"exported_date": "2020-01-01"},
            {"user_id": self.other.id},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                cv.write(values)
        with self.assertRaises(AccessError):
            self.env["atelier.career.cv"].with_user(self.learner).create(
                {"name": "x", "user_id": self.other.id}
            )
        # sessions, scores and findings are read-only for learners
        with self.assertRaises(AccessError):
            self.session.with_user(self.learner).write({"overall_score": 5})
        with self.assertRaises(AccessError):
            self.session.score_ids.with_user(self.learner).write({"score": 5})
        with self.assertRaises(AccessError):
            self.env["atelier.career.criterion"].with_user(self.learner).search([])
        with self.assertRaises(AccessError):
            self.env["atelier.career.subscription"].with_user(self.learner).search([])

    def test_duplicate_and_several_cvs(self):
        copy = self.cv.action_duplicate()
        self.assertEqual(copy.user_id, self.learner)
        self.assertEqual(len(copy.line_ids), len(self.cv.line_ids))
        self.assertNotEqual(copy.line_ids, self.cv.line_ids)
        self.assertEqual(copy.name, "CV diagnostic (copy)")
        self.assertFalse(copy.exported_date)

    def test_manager_sees_team_scores_and_shared_transcripts_only(self):
        manager = new_test_user(
            self.env, login="career_mgr", groups="base.group_portal"
        )
        member = make_learner(self.env, "career_team_a", "Nadia Haddad")
        company = self.env["res.partner"].create(
            {"name": "Concessions Rhône", "is_company": True}
        )
        subscription = self.env["atelier.career.subscription"].create(
            {
                "plan_id": self.pro.id,
                "holder": "company",
                "company_partner_id": company.id,
                "manager_user_id": manager.id,
                "member_ids": [(6, 0, member.ids)],
            }
        )
        Session = self.env["atelier.career.session"]
        session = self.start(user=member)
        session.action_answer("Je ne sais pas.")
        session.action_end()
        self.assertEqual(session.subscription_id, subscription)
        report = Session._team_report(manager)
        self.assertTrue(report["team_allowed"])
        self.assertEqual(
            report["team_sessions"], session, "not the other learners' sessions"
        )
        self.assertEqual(len(report["criteria"]), len(self.chef.criterion_ids))
        self.assertTrue(report["weak"])
        self.assertFalse(Session._team_shared_session(manager, session.id))
        session.with_user(member).action_share_with_manager(True)
        self.assertEqual(Session._team_shared_session(manager, session.id), session)
        self.assertFalse(Session._team_shared_session(manager, self.session.id))
        self.assertFalse(Session._team_report(self.other)["team_allowed"])
        subscription.plan_id = self.starter
        self.assertFalse(Session._team_report(manager)["team_allowed"], "Pro only")

    def test_gdpr_export_and_erase(self):
        data = self.learner._atelier_career_export()
        self.assertEqual(data["cvs"][0]["resume"]["basics"]["name"], "Karim Benali")
        self.assertTrue(data["interviews"][0]["transcript"])
        self.assertTrue(data["interviews"][0]["consent"])
        other_cv = (
            self.env["atelier.career.cv"]
            .with_user(self.other)
            .create({"name": "Julie"})
        )
        self.learner._atelier_career_erase()
        Cv = self.env["atelier.career.cv"].sudo()
        self.assertFalse(Cv.search([("user_id", "=", self.learner.id)]))
        self.assertFalse(
            self.env["atelier.career.session"]
            .sudo()
            .search([("user_id", "=", self.learner.id)])
        )
        self.assertFalse(
            self.env["atelier.career.message"]
            .sudo()
            .search([("user_id", "=", self.learner.id)])
        )
        self.assertTrue(other_cv.exists())
        log = self.env["atelier.career.purge.log"].search(
            [("learner_id", "=", self.learner.id)]
        )
        self.assertEqual(log.reason, "learner")
