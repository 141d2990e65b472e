# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
import time

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import AcademyFixtures

CSRF_RE = re.compile(r'csrf_token: "([^"]+)"')


@tagged("post_install", "-at_install")
class TestPortalHttp(AcademyFixtures, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_academy("phttp")
        cls.enrolment = cls.enrol(cls.learner)
        cls.enrolment.coach_id = cls.coach

    def setUp(self):
        super().setUp()
        self.authenticate(self.learner.login, self.learner.login)

    def csrf(self):
        return CSRF_RE.search(self.url_open("/my/academy").text).group(1)

    def test_dashboard(self):
        page = self.url_open("/my/academy")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.path.name.replace("'", "&#39;"), page.text)
        self.assertIn("0 / 3 courses passed", page.text)
        # the next session: booked online where a booking page exists (the
        # glue atelier_academy_booking), otherwise the coach is written to
        booking_url = self.enrolment._atelier_booking_url()
        if booking_url:
            self.assertIn(f'href="{booking_url}"', page.text)
            self.assertNotIn("o_atelier_contact_coach", page.text)
        else:
            self.assertIn("mailto:phttp.coach@example.com", page.text)
            self.assertNotRegex(page.text, r"\bo_atelier_book\b(?![\w-])")
        self.assertIn(f"/academy/audit-pack/{self.enrolment.id}", page.text)
        self.assertIn("o_atelier_sign", page.text)
        # the home page links to it
        self.assertIn("/my/academy", self.url_open("/my").text)

    def test_heartbeat(self):
        token = self.csrf()
        lesson = self.course1["article1"]
        response = self.url_open(
            "/academy/heartbeat",
            data={
                "slide_id": lesson.id,
                "ts": int(time.time() * 1000),
                "csrf_token": token,
            },
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json(), {"credited": 0, "lesson_seconds_today": 0})
        self.assertEqual(
            self.env["atelier.academy.timelog"]
            .search([("slide_id", "=", lesson.id)])
            .beats,
            1,
        )
        # refusals: a clear JSON error with a 4xx, nothing written
        cases = [
            ({"slide_id": self.course3["article1"].id}, 403, "not enrolled"),
            (
                {"slide_id": lesson.id, "ts": int(time.time() * 1000) + 3_600_000},
                400,
                "future",
            ),
            ({"slide_id": "abc"}, 400, "Unknown lesson"),
            ({"slide_id": 999999999}, 404, "Unknown lesson"),
        ]
        for data, status, text in cases:
            response = self.url_open(
                "/academy/heartbeat", data=dict(data, csrf_token=token)
            )
            self.assertEqual(response.status_code, status, data)
            self.assertIn(text, response.json()["error"])
        self.assertEqual(
            self.env["atelier.academy.timelog"].search_count(
                [("partner_id", "=", self.learner.partner_id.id)]
            ),
            1,
        )
        with mute_logger("odoo.http"):
            forged = self.url_open("/academy/heartbeat", data={"slide_id": lesson.id})
        self.assertEqual(forged.status_code, 400)  # no CSRF token

    def test_sign_presence(self):
        token = self.csrf()
        response = self.url_open(
            "/my/academy/sign",
            data={"enrolment_id": self.enrolment.id, "csrf_token": token},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        signature = self.enrolment.signature_ids
        self.assertEqual(len(signature), 1)
        self.assertEqual(signature.ip_address, "127.0.0.1")
        self.assertIn("python-requests", signature.user_agent)
        self.assertEqual(len(signature.hash), 64)
        # a second sign-in on the same half-day is refused, nothing written
        response = self.url_open(
            "/my/academy/sign",
            data={"enrolment_id": self.enrolment.id, "csrf_token": token},
        )
        self.assertEqual(response.status_code, 409)
        self.assertIn("already signed your presence", response.text)
        self.assertEqual(len(self.enrolment.signature_ids), 1)
        # somebody else's enrolment: not found
        other = self.enrol(self.learner2)
        response = self.url_open(
            "/my/academy/sign", data={"enrolment_id": other.id, "csrf_token": token}
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(other.signature_ids)
        response = self.url_open(
            "/my/academy/sign", data={"enrolment_id": "x", "csrf_token": token}
        )
        self.assertEqual(response.status_code, 404)
        # the chain checks; tampering breaks it
        Signature = self.env["atelier.academy.signature"]
        self.assertFalse(Signature._atelier_verify_chain(self.learner.partner_id))
        signature.sudo().write(
            {"ip_address": "6.6.6.6", "content": signature.content + "x"}
        )
        self.assertEqual(
            Signature._atelier_verify_chain(self.learner.partner_id), signature
        )

    def test_public_cannot_see_the_dashboard(self):
        self.authenticate(None, None)
        response = self.url_open("/my/academy")
        self.assertIn("/web/login", response.url)
        with mute_logger("odoo.http"):
            response = self.url_open(
                "/academy/heartbeat", data={"slide_id": 1}, allow_redirects=False
            )
        self.assertIn(response.status_code, (303, 400))
        competencies = self.url_open("/academy/competencies")
        self.assertEqual(competencies.status_code, 200)
        self.assertIn(self.comp_ht.code, competencies.text)
