# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import html
import json

from odoo.tests import HttpCase, tagged

from .common import cv_values, make_learner


@tagged("post_install", "-at_install")
class TestCareerHttp(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["atelier_career"], ["fr_FR"], overwrite=True
        )
        cls.env["ir.config_parameter"].sudo().set_param(
            "atelier_ai.provider", "offline"
        )
        cls.learner = make_learner(cls.env, "career_web_karim", "Karim Web")
        cls.other = make_learner(cls.env, "career_web_julie", "Julie Web")
        cls.cv = cls.env["atelier.career.cv"].with_user(cls.other).create(cv_values())
        cls.chef = cls.env.ref("atelier_career.persona_chef_atelier")
        cls.env["atelier.career.subscription"].create(
            {
                "plan_id": cls.env.ref("atelier_career.plan_pro").id,
                "holder": "learner",
                "user_id": cls.learner.id,
            }
        )

    def post_json(self, url, payload, **kw):
        return self.url_open(
            url,
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
            **kw,
        )

    def test_pages_and_isolation(self):
        self.authenticate(self.learner.login, self.learner.login)
        response = self.url_open("/my/career")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_career_home", response.text)
        self.assertEqual(self.url_open(f"/my/career/cv/{self.cv.id}").status_code, 404)
        self.assertEqual(
            self.url_open(f"/my/career/cv/{self.cv.id}/pdf").status_code, 404
        )
        self.assertEqual(
            self.url_open(f"/my/career/cv/{self.cv.id}/preview").status_code, 404
        )
        self.assertEqual(self.url_open("/my/career/cv/abc").status_code, 404)
        session = (
            self.env["atelier.career.session"]
            .with_user(self.other)
            ._start(self.chef, 10, consent=True)
        )
        self.assertEqual(
            self.url_open(f"/my/career/interview/{session.id}").status_code, 404
        )
        response = self.post_json(
            f"/my/career/interview/{session.id}/answer", {"text": "x"}
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(
            len(session.message_ids), 1, "nothing written in another's session"
        )

    def test_uploads_are_checked(self):
        self.learner.lang = "fr_FR"
        self.authenticate(self.learner.login, self.learner.login)
        csrf = (
            self.url_open("/my/career")
            .text.split('name="csrf_token" value="')[1]
            .split('"')[0]
        )
        cases = [
            ("cv.exe", b"MZ...", "n'est pas accepté"),
            ("cv.json", b"{" + b" " * 300000 + b"}", "trop gros"),
            ("cv.json", b"<html>not json</html>", "JSON valide"),
        ]
        count = self.env["atelier.career.cv"].sudo().search_count([])
        for name, body, expected in cases:
            response = self.url_open(
                "/my/career/cv/import",
                data={"csrf_token": csrf},
                files={"upload": (name, body)},
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn(expected, html.unescape(response.text), name)
        self.assertEqual(self.env["atelier.career.cv"].sudo().search_count([]), count)

    def test_answer_endpoint_streams_and_refuses_bad_input(self):
        self.authenticate(self.learner.login, self.learner.login)
        session = (
            self.env["atelier.career.session"]
            .with_user(self.learner)
            ._start(self.chef, 10, consent=True)
        )
        base = f"/my/career/interview/{session.id}"
        response = self.url_open(f"{base}/answer", data="text=bonjour")
        self.assertEqual(response.status_code, 415)
        response = self.url_open(
            f"{base}/answer",
            data="{not json",
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 400)
        response = self.post_json(f"{base}/answer", {"text": "   "})
        self.assertEqual(response.status_code, 409)
        self.assertIn("error", response.json())
        response = self.post_json(
            f"{base}/answer",
            {
                "text": "J'ai lu les codes défaut, puis mesuré la tension au "
                "multimètre : 12 V à la batterie, donc j'ai cherché la panne "
                "plus loin."
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("text/event-stream", response.headers["Content-Type"])
        events = [
            (chunk.split("\n")[0][7:], json.loads(chunk.split("\n")[1][6:]))
            for chunk in response.text.strip().split("\n\n")
        ]
        self.assertEqual(events[0][0], "meta")
        self.assertEqual(events[-1][0], "done")
        self.assertEqual(events[-1][1]["text"], self.chef.question_ids[1].text)
        self.assertEqual(
            session.message_ids[-1].content, self.chef.question_ids[1].text
        )
        response = self.post_json(f"{base}/pause", {})
        self.assertEqual(response.json()["timer"]["state"], "paused")
        response = self.post_json(
            f"{base}/answer", {"text": "Une réponse pendant la pause."}
        )
        self.assertEqual(response.status_code, 409)

    def test_tour_build_a_cv(self):
        self.start_tour(
            "/my/career", "atelier_career_cv_tour", login=self.learner.login
        )
        cv = self.env["atelier.career.cv"].search([("user_id", "=", self.learner.id)])
        self.assertEqual(cv.headline, "Technicienne diagnostic")
        self.assertTrue(cv.ats_friendly)
        self.assertTrue(cv.exported_date, "the tour downloaded the PDF")

    def test_tour_interview_session(self):
        self.start_tour(
            "/my/career", "atelier_career_interview_tour", login=self.learner.login
        )
        session = self.env["atelier.career.session"].search(
            [("user_id", "=", self.learner.id)]
        )
        self.assertEqual(session.state, "done")
        self.assertEqual(session.synthesis_state, "ready")
        self.assertTrue(session.message_ids.filtered(lambda m: m.role == "learner"))

    def csrf(self):
        page = self.url_open("/my/career").text
        return page.split('name="csrf_token" value="')[1].split('"')[0]

    def test_webhooks_page_for_the_pro_holder_only(self):
        subscription = self.env["atelier.career.subscription"].search(
            [("user_id", "=", self.learner.id)]
        )
        Webhook = (
            self.env["atelier.career.webhook"].sudo().with_context(active_test=False)
        )
        self.authenticate(self.learner.login, self.learner.login)
        self.assertEqual(self.url_open("/my/career/webhooks").status_code, 200)
        csrf = self.csrf()

        def add(url, user_csrf=csrf):
            return self.url_open(
                "/my/career/webhooks/new",
                data={
                    "csrf_token": user_csrf,
                    "subscription_id": subscription.id,
                    "name": "CRM",
                    "url": url,
                },
            )

        response = add("http://127.0.0.1:9/hook")
        self.assertIn("private or local address", html.unescape(response.text))
        self.assertFalse(Webhook.search([("owner_id", "=", self.learner.id)]))
        response = add("https://hooks.example.com/career")
        webhook = Webhook.search([("owner_id", "=", self.learner.id)])
        self.assertEqual(len(webhook), 1)
        self.assertEqual(webhook.subscription_id, subscription)
        self.assertIn(webhook.secret, response.text, "the secret is shown once")
        self.assertNotIn(webhook.secret, self.url_open("/my/career/webhooks").text)
        old = webhook.secret
        self.url_open(
            f"/my/career/webhooks/{webhook.id}/rotate", data={"csrf_token": csrf}
        )
        webhook.invalidate_recordset()
        self.assertNotEqual(webhook.secret, old)
        # another learner (Starter): nothing of it, and no webhook of their own
        self.authenticate(self.other.login, self.other.login)
        other_csrf = self.csrf()
        response = self.url_open(
            f"/my/career/webhooks/{webhook.id}/delete", data={"csrf_token": other_csrf}
        )
        self.assertEqual(response.status_code, 404)
        self.assertTrue(webhook.exists())
        response = add("https://hooks.example.com/other", other_csrf)
        self.assertIn("Webhooks come with a Pro plan.", html.unescape(response.text))
        self.assertEqual(
            Webhook.search_count([("subscription_id", "=", subscription.id)]), 1
        )
