# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
import re
from datetime import timedelta
from urllib.parse import urlsplit

import requests

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import AtelierBetaCommon
from .test_feedback import image_bytes

HIDDEN_RE = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"')
DEVICE = "1f0e2d3c-4b5a-4697-8877-665544332211"


@tagged("post_install", "-at_install")
class TestPublic(AtelierBetaCommon, HttpCase):
    """The public pages over real HTTP, without cookies, and the portal
    pages as a signed-in tester."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_beta("pub")
        cls.alice = cls._signup(
            "Alice Publique", "alice.publique@example.com", ip="198.51.100.1"
        )

    # ------------------------------------------------------------------
    def raw(self, method, url, **kw):
        parts = urlsplit(url)
        url = self.base_url() + parts.path + (f"?{parts.query}" if parts.query else "")
        self.env.flush_all()
        with self.allow_requests(all_requests=True):
            response = requests.request(
                method, url, timeout=30, allow_redirects=False, **kw
            )
        self.env.invalidate_all()
        return response

    def form(self, **data):
        page = self.raw("GET", "/beta")
        self.assertEqual(page.status_code, 200)
        values = dict(HIDDEN_RE.findall(page.text))
        values.update(
            {
                "name": "Hugo Visiteur",
                "email": "hugo.visiteur@example.com",
                "vehicle_make": "Peugeot",
                "fuel_type": "petrol",
                "vehicle_year": "2019",
                "region": "bre",
                "profile": "young_driver",
                "device_id": DEVICE,
            }
        )
        values.update(data)
        return values

    def submit(self, **data):
        return self.raw("POST", "/beta", data=self.form(**data))

    def signups(self, email):
        return self.Signup.sudo().search([("email", "=", email)])

    # ------------------------------------------------------------------
    def test_signup_page_and_referral_link(self):
        page = self.raw(
            "GET", f"/beta?ref={self.alice.referral_code.lower()}&utm_source=Newsletter"
        )
        self.assertEqual(page.status_code, 200)
        self.assertIn(f'value="{self.alice.referral_code}"', page.text)
        self.assertIn('name="device_id"', page.text)
        self.assertIn('name="utm_source" value="Newsletter"', page.text)

    def test_signup_with_a_code(self):
        response = self.submit(
            referral_code=self.alice.referral_code, utm_source="Newsletter"
        )
        self.assertEqual(response.status_code, 200, response.text[:400])
        self.assertIn("Check your inbox", response.text)
        signup = self.signups("hugo.visiteur@example.com")
        self.assertEqual(
            (signup.state, signup.profile, signup.vehicle_year),
            ("pending", "young_driver", 2019),
        )
        self.assertEqual(
            (signup.sudo().device_id, signup.sudo().signup_ip), (DEVICE, "127.0.0.1")
        )
        self.assertEqual(signup.referred_by_id, self.alice)
        self.assertEqual(signup.source_id.name, "Newsletter")
        self.assertEqual(signup.optin_id.channel, "beta")

    def test_refusals_create_nothing(self):
        count = self.Signup.sudo().search_count([])
        cases = [
            ({"website": "http://spam.example"}, 200),  # honeypot: looks accepted
            ({"email": "bot@yopmail.com"}, 400),
            ({"email": "bot@mx.mailinator.com"}, 400),  # a sub-domain of one
            ({"vehicle_year": "1887"}, 400),
            ({"fuel_type": "coal"}, 400),
            ({"profile": ""}, 400),
            ({"name": "<script>alert(1)</script>"}, 400),
            ({"referral_code": "ZZZZ9999"}, 400),
            ({"form_token": "1.forged"}, 400),
        ]
        for data, status in cases:
            with self.subTest(data=data):
                response = self.submit(**data)
                self.assertEqual(response.status_code, status, response.text[:300])
        self.assertEqual(self.Signup.sudo().search_count([]), count)
        self.assertIn(
            "Disposable addresses are not accepted",
            self.submit(email="x@yopmail.com").text,
        )

    def test_disposable_list_is_configurable(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("atelier_beta.disposable_domains", "jetable.example")
        self.assertEqual(self.submit(email="a@jetable.example").status_code, 400)
        self.assertEqual(self.submit(email="b@yopmail.com").status_code, 200)
        params.set_param("atelier_beta.refuse_disposable", "False")
        self.assertEqual(self.submit(email="c@jetable.example").status_code, 200)

    def test_rate_limit_per_ip(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "atelier_crm.form_hourly_limit", "2"
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE atelier_crm_optin SET client_ip = NULL "
            "WHERE client_ip = '127.0.0.1'"
        )
        self.assertEqual(self.submit(email="r1@example.com").status_code, 200)
        self.assertEqual(self.submit(email="r2@example.com").status_code, 200)
        response = self.submit(email="r3@example.com")
        self.assertEqual(response.status_code, 429)
        self.assertFalse(self.signups("r3@example.com"))

    def test_known_address_tells_nothing_and_keeps_the_place(self):
        place = self.alice.queue_number
        response = self.submit(name="Alice Encore", email="Alice.Publique@example.com")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Check your inbox", response.text)
        self.assertEqual(self.signups("alice.publique@example.com"), self.alice)
        self.assertEqual(
            (self.alice.name, self.alice.queue_number), ("Alice Publique", place)
        )

    def test_status_page_is_for_its_owner_only(self):
        token = self.alice._atelier_status_token()
        page = self.raw("GET", f"/beta/status/{token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_atelier_beta_position", page.text)
        self.assertIn(self.alice.referral_url, page.text)
        bob = self._signup("Bob Voisin", ip="198.51.100.2")
        signature = token.split(".")[1]
        for forged in (
            f"{bob.id}.{signature}",
            f"{self.alice.id}.{'0' * 32}",
            "garbage",
            f"{self.alice.id}",
        ):
            with self.subTest(forged=forged):
                self.assertEqual(
                    self.raw("GET", f"/beta/status/{forged}").status_code, 404
                )
                response = self.raw(
                    "POST", f"/beta/status/{forged}/erase", data={"confirm": "1"}
                )
                self.assertEqual(response.status_code, 404)
        self.assertEqual(bob.state, "waiting")
        # erasure asks for the tick
        bob_token = bob._atelier_status_token()
        self.assertEqual(
            self.raw("POST", f"/beta/status/{bob_token}/erase", data={}).status_code,
            400,
        )
        self.assertEqual(bob.state, "waiting")
        self.assertEqual(
            self.raw(
                "POST", f"/beta/status/{bob_token}/erase", data={"confirm": "1"}
            ).status_code,
            200,
        )
        self.assertEqual(bob.state, "erased")
        self.assertEqual(self.raw("GET", f"/beta/status/{bob_token}").status_code, 404)

    def test_invitation_tokens(self):
        carol = self._signup("Carol Invitée", ip="198.51.100.3")
        batch = self.Batch.sudo().create({"name": "Une", "size": 1})
        self.Invitation.sudo().create({"signup_id": carol.id, "batch_id": batch.id})
        batch.action_send()
        invitation = batch.invitation_ids
        token = invitation._atelier_token()
        ident, expiry, signature = token.split(".")
        forged = [
            f"{ident}.{expiry}.{'a' * len(signature)}",
            f"{ident}.{int(expiry) + 86400}.{signature}",
            f"{int(ident) + 1}.{expiry}.{signature}",
            "1.2",
        ]
        for bad in forged:
            with self.subTest(token=bad):
                self.assertEqual(
                    self.raw("GET", f"/beta/invitation/{bad}").status_code, 404
                )
                response = self.raw(
                    "POST",
                    f"/beta/invitation/{bad}",
                    data={"password": "x" * 10, "confirm_password": "x" * 10},
                )
                self.assertEqual(response.status_code, 404)
        self.assertEqual(self.raw("GET", f"/beta/invitation/{token}").status_code, 200)
        # a short password, or two different ones: refused, still open
        short = self.raw(
            "POST",
            f"/beta/invitation/{token}",
            data={"password": "court", "confirm_password": "court"},
        )
        self.assertEqual(short.status_code, 400)
        differ = self.raw(
            "POST",
            f"/beta/invitation/{token}",
            data={"password": "longpassword1", "confirm_password": "longpassword2"},
        )
        self.assertEqual(differ.status_code, 400)
        self.assertEqual(invitation.state, "sent")
        accepted = self.raw(
            "POST",
            f"/beta/invitation/{token}",
            data={"password": "longpassword1", "confirm_password": "longpassword1"},
        )
        self.assertEqual(accepted.status_code, 303)
        self.assertIn("/my/beta", accepted.headers["Location"])
        self.assertEqual((invitation.state, carol.state), ("accepted", "tester"))
        self.assertTrue(carol.user_id.share)
        self.assertEqual(carol.user_id.partner_id, carol.partner_id)
        # the session is signed in: the beta page answers
        home = self.raw("GET", "/my/beta", cookies=accepted.cookies)
        self.assertEqual(home.status_code, 200)
        self.assertIn("o_atelier_beta_karma", home.text)
        # reused
        again = self.raw(
            "POST",
            f"/beta/invitation/{token}",
            data={"password": "longpassword1", "confirm_password": "longpassword1"},
        )
        self.assertEqual(again.status_code, 409)
        self.assertEqual(self.raw("GET", f"/beta/invitation/{token}").status_code, 409)

    def test_expired_invitation(self):
        dan = self._signup("Dan Tardif", ip="198.51.100.4")
        batch = self.Batch.sudo().create(
            {"name": "Vite", "size": 1, "validity_days": 1}
        )
        self.Invitation.sudo().create({"signup_id": dan.id, "batch_id": batch.id})
        batch.action_send()
        batch.invitation_ids.write(
            {"expires_at": fields.Datetime.now() - timedelta(minutes=1)}
        )
        token = batch.invitation_ids._atelier_token()
        self.assertEqual(self.raw("GET", f"/beta/invitation/{token}").status_code, 410)
        response = self.raw(
            "POST",
            f"/beta/invitation/{token}",
            data={"password": "longpassword1", "confirm_password": "longpassword1"},
        )
        self.assertEqual(response.status_code, 410)
        self.assertFalse(dan.user_id)

    def test_roadmap_shows_public_items(self):
        Item = self.env["atelier.beta.roadmap.item"]
        Item.create(
            {"name": "Mode hors ligne", "state": "planned", "is_published": True}
        )
        Item.create(
            {"name": "Projet secret", "state": "planned", "is_published": False}
        )
        page = self.raw("GET", "/beta/roadmap")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Mode hors ligne", page.text)
        self.assertNotIn("Projet secret", page.text)


@tagged("post_install", "-at_install")
class TestPortal(AtelierBetaCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_beta("port")
        cls.tina = cls._tester(
            cls._signup("Tina Testeuse", ip="198.51.100.11"), password="tina-pass-123"
        )
        cls.ugo = cls._tester(
            cls._signup("Ugo Usager", ip="198.51.100.12"), password="ugo-pass-1234"
        )
        cls.vera = cls._tester(
            cls._signup("Véra Nouvelle", ip="198.51.100.13"),
            activated=False,
            password="vera-pass-123",
        )
        cls.secret = cls.Feedback._atelier_post(
            cls.ugo,
            {
                "kind": "praise",
                "name": "Mot doux privé",
                "description": "Merci à l'équipe.",
            },
        )
        cls.idea = cls.Feedback._atelier_post(
            cls.ugo,
            {
                "kind": "idea",
                "name": "Alertes entretien",
                "description": "Prévenir avant la vidange.",
            },
        )

    def _csrf(self, path):
        page = self.url_open(path)
        self.assertEqual(page.status_code, 200, path)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def test_post_feedback_with_a_screenshot(self):
        self.authenticate(self.tina.user_id.login, "tina-pass-123")
        token = self._csrf("/my/beta/feedback/new")
        response = self.url_open(
            "/my/beta/feedback",
            data={
                "csrf_token": token,
                "kind": "bug",
                "name": "Crash au scan",
                "description": "Au bout de 10 s.",
            },
            files={
                "screenshot": (
                    "capture.png",
                    io.BytesIO(image_bytes("PNG")),
                    "image/png",
                )
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303, response.text[:300])
        feedback = self.Feedback.search([("author_id", "=", self.tina.id)])
        self.assertEqual((feedback.name, feedback.kind), ("Crash au scan", "bug"))
        self.assertTrue(feedback.screenshot)
        image = self.url_open(
            f"/web/image/atelier.beta.feedback/{feedback.id}/screenshot"
        )
        self.assertEqual(image.status_code, 200)
        self.assertEqual(image.headers["Content-Type"], "image/png")
        # not an image: refused with a message, nothing stored
        bad = self.url_open(
            "/my/beta/feedback",
            data={
                "csrf_token": token,
                "kind": "bug",
                "name": "Fichier",
                "description": "Voir pièce jointe",
            },
            files={
                "screenshot": (
                    "virus.png",
                    io.BytesIO(b"MZ\x90\x00 not an image"),
                    "image/png",
                )
            },
        )
        self.assertEqual(bad.status_code, 400)
        self.assertIn("PNG, JPEG or WebP", bad.text)
        self.assertEqual(
            self.Feedback.search_count([("author_id", "=", self.tina.id)]), 1
        )

    def test_board_votes_and_privacy(self):
        self.authenticate(self.tina.user_id.login, "tina-pass-123")
        board = self.url_open("/my/beta/board")
        self.assertIn("Alertes entretien", board.text)
        self.assertNotIn("Mot doux privé", board.text)  # praise is not on the board
        self.assertNotIn("Ugo", board.text)  # nor are the authors
        self.assertEqual(
            self.url_open(f"/my/beta/feedback/{self.secret.id}").status_code, 404
        )
        token = self._csrf("/my/beta/board")
        first = self.url_open(
            f"/my/beta/feedback/{self.idea.id}/vote",
            data={"csrf_token": token},
            allow_redirects=False,
        )
        self.assertEqual(first.status_code, 303)
        second = self.url_open(
            f"/my/beta/feedback/{self.idea.id}/vote", data={"csrf_token": token}
        )
        self.assertEqual(second.status_code, 409)
        self.assertEqual(self.idea.vote_count, 1)
        # the portal user reads only their own beta records through the ORM
        tina_env = self.env(user=self.tina.user_id)
        self.assertEqual(tina_env["atelier.beta.signup"].search([]), self.tina)
        self.assertFalse(
            tina_env["atelier.beta.feedback"].search(
                [("id", "in", (self.idea | self.secret).ids)]
            )
        )

    def test_not_activated_cannot_vote(self):
        self.authenticate(self.vera.user_id.login, "vera-pass-123")
        self.assertNotIn('o_atelier_beta_vote"', self.url_open("/my/beta/board").text)
        token = self._csrf("/my/beta")
        response = self.url_open(
            f"/my/beta/feedback/{self.idea.id}/vote", data={"csrf_token": token}
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.idea.vote_count, 0)

    def test_leaderboard_is_opt_in(self):
        self.ugo.leaderboard_optin = True
        self.authenticate(self.tina.user_id.login, "tina-pass-123")
        closed = self.url_open("/my/beta/leaderboard")
        self.assertEqual(closed.status_code, 403)
        self.assertNotIn("Ugo", closed.text)
        token = re.search(r'name="csrf_token" value="([^"]+)"', closed.text).group(1)
        self.url_open(
            "/my/beta/leaderboard/optin", data={"csrf_token": token, "optin": "1"}
        )
        board = self.url_open("/my/beta/leaderboard")
        self.assertEqual(board.status_code, 200)
        self.assertIn("Ugo U.", board.text)
        self.assertIn("Tina T.", board.text)
        self.assertNotIn("Véra", board.text)

    def test_not_a_tester(self):
        self.authenticate(self.employee.login, self.employee.login)
        self.assertEqual(self.url_open("/my/beta").status_code, 404)
        self.assertEqual(self.url_open("/my/beta/board").status_code, 404)
