# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import AcademyFixtures


@tagged("post_install", "-at_install")
class TestGatingHttp(AcademyFixtures, HttpCase):
    """Every eLearning route refuses a locked step, over HTTP and RPC.

    Course 2 opens lessons in order: its second lesson, quiz and exam wait
    for the first lesson. The learner is a member of course 2, so Odoo alone
    would serve them all.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_academy("ghttp")
        cls.enrol(cls.learner)
        cls.pass_course(cls.learner, cls.course1)
        cls.c2 = cls.course2
        cls.locked = cls.c2["article2"]
        cls.quiz = cls.c2["quiz"]
        cls.exam = cls.c2["exam"]
        # course 3 waits for course 2: the learner is made a member of it by
        # hand (as an old import would), Odoo would let them in
        cls.env["slide.channel.partner"].create(
            {
                "channel_id": cls.course3["channel"].id,
                "partner_id": cls.learner.partner_id.id,
            }
        )

    def setUp(self):
        super().setUp()
        self.authenticate(self.learner.login, self.learner.login)

    def slug(self, slide):
        return self.env["ir.http"]._slug(slide)

    def assertLockedPage(self, response, text="open in order"):
        self.assertEqual(response.status_code, 403, response.url)
        self.assertIn("This step is not open yet", response.text)
        self.assertIn(text, response.text)

    def assertLockedJson(self, result, text="open in order"):
        self.assertEqual(result.get("error"), "atelier_locked", result)
        self.assertIn(text, result["error_message"])

    def test_lesson_pages(self):
        base = f"/slides/slide/{self.slug(self.locked)}"
        self.assertLockedPage(self.url_open(base))
        self.assertLockedPage(self.url_open(f"{base}?fullscreen=1"))
        self.assertLockedPage(self.url_open(f"{base}/pdf_content"))
        self.assertLockedPage(self.url_open(f"/slides/embed/{self.locked.id}"))
        self.assertLockedPage(self.url_open(f"/slides/embed_external/{self.locked.id}"))
        self.assertLockedJson(
            self.make_jsonrpc_request(
                "/slides/slide/get_html_content", {"slide_id": self.locked.id}
            )
        )
        # the first lesson of the course is open: control
        first = self.url_open(f"/slides/slide/{self.slug(self.c2['article1'])}")
        self.assertEqual(first.status_code, 200)
        self.assertIn("o_atelier_heartbeat", first.text)
        # …and viewing it completed it (Odoo), which opens the second one
        self.assertEqual(self.url_open(base).status_code, 200)

    def test_completion_routes(self):
        response = self.url_open(
            f"/slides/slide/{self.slug(self.locked)}/set_completed"
        )
        self.assertLockedPage(response)
        self.assertLockedJson(
            self.make_jsonrpc_request(
                "/slides/slide/set_completed", {"slide_id": self.locked.id}
            )
        )
        self.assertFalse(self.locked.with_user(self.learner).user_has_completed)

    def test_quiz_routes(self):
        self.assertLockedJson(
            self.make_jsonrpc_request(
                "/slides/slide/quiz/get", {"slide_id": self.quiz.id}
            )
        )
        good = self.quiz.question_ids.answer_ids.filtered("is_correct")
        self.assertLockedJson(
            self.make_jsonrpc_request(
                "/slides/slide/quiz/submit",
                {"slide_id": self.quiz.id, "answer_ids": good.ids},
            )
        )
        self.assertFalse(self.quiz.with_user(self.learner).user_has_completed)
        self.assertFalse(
            self.env["atelier.academy.quiz.attempt"].search(
                [("slide_id", "=", self.quiz.id)]
            )
        )
        # malformed answers on an open quiz: a clear error, no 500
        self.c2["article1"].with_user(self.learner).action_mark_completed()
        self.c2["article2"].with_user(self.learner).action_mark_completed()
        result = self.make_jsonrpc_request(
            "/slides/slide/quiz/submit", {"slide_id": self.quiz.id, "answer_ids": "1,2"}
        )
        self.assertEqual(result["error"], "slide_quiz_incomplete")
        # open now: the submission is recorded with its score
        result = self.make_jsonrpc_request(
            "/slides/slide/quiz/submit",
            {"slide_id": self.quiz.id, "answer_ids": good.ids},
        )
        self.assertTrue(result["completed"])
        attempt = self.env["atelier.academy.quiz.attempt"].search(
            [("slide_id", "=", self.quiz.id)]
        )
        self.assertEqual(attempt.score, 100.0)

    def test_exam_routes(self):
        response = self.url_open(
            f"/slides_survey/slide/get_certification_url?slide_id={self.exam.id}"
        )
        self.assertLockedPage(response)
        self.assertFalse(
            self.env["survey.user_input"].search([("slide_id", "=", self.exam.id)])
        )
        # an answer link obtained somehow: the survey routes refuse it too
        answer = self.exam.survey_id._create_answer(
            partner=self.learner.partner_id,
            check_attempts=False,
            slide_id=self.exam.id,
            slide_partner_id=self.env["slide.slide.partner"]
            .create(
                {"slide_id": self.exam.id, "partner_id": self.learner.partner_id.id}
            )
            .id,
        )
        survey_token, answer_token = (
            self.exam.survey_id.access_token,
            answer.access_token,
        )
        self.assertLockedPage(
            self.url_open(f"/survey/start/{survey_token}?answer_token={answer_token}")
        )
        self.assertLockedPage(self.url_open(f"/survey/{survey_token}/{answer_token}"))
        for route in ("begin", "next_question", "submit"):
            result = self.make_jsonrpc_request(
                f"/survey/{route}/{survey_token}/{answer_token}"
            )
            self.assertEqual(result[1], {"error": "atelier_locked"}, route)
        self.assertEqual(answer.state, "new")

    def test_join_route(self):
        # course 3 waits for course 2
        self.env["slide.channel.partner"].search(
            [
                ("channel_id", "=", self.course3["channel"].id),
                ("partner_id", "=", self.learner.partner_id.id),
            ]
        ).unlink()
        result = self.make_jsonrpc_request(
            "/slides/channel/join", {"channel_id": self.course3["channel"].id}
        )
        self.assertLockedJson(result, "opens when")
        self.assertNotIn(self.learner.partner_id, self.course3["channel"].partner_ids)
        # the course page shows why instead of a Join button
        page = self.url_open(
            f"/slides/{self.env['ir.http']._slug(self.course3['channel'])}"
        )
        self.assertIn("o_atelier_course_locked", page.text)
        self.assertIn("opens when", page.text)

    def test_member_of_a_locked_course_is_refused(self):
        lesson = self.course3["article1"]
        self.assertLockedPage(
            self.url_open(f"/slides/slide/{self.slug(lesson)}"), "opens when"
        )
        self.assertLockedJson(
            self.make_jsonrpc_request(
                "/slides/slide/set_completed", {"slide_id": lesson.id}
            ),
            "opens when",
        )

    def call_kw_error(self, model, method, args):
        response = self.opener.post(
            f"{self.base_url()}/web/dataset/call_kw",
            json={
                "id": 0,
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": {},
                },
            },
            timeout=12,
        )
        self.assertEqual(response.status_code, 200)
        error = response.json().get("error")
        self.assertTrue(error, f"{model}.{method} was not refused")
        return error["data"]["name"], error["data"]["message"]

    @mute_logger("odoo.http")
    def test_rpc_refused(self):
        """The same methods over /web/dataset/call_kw (any logged-in user)."""
        for method in ("action_mark_completed", "action_set_viewed"):
            name, message = self.call_kw_error("slide.slide", method, [self.locked.ids])
            self.assertEqual(name, "odoo.exceptions.UserError")
            self.assertIn("open in order", message)
        name, message = self.call_kw_error(
            "slide.channel",
            "action_grant_access",
            [self.course3["channel"].ids, self.learner.partner_id.id],
        )
        self.assertIn("opens when", message)
        self.assertFalse(self.locked.with_user(self.learner).user_has_completed)
