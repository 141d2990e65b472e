# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Connecting a PBX from the UI (issue #10, item 17): the webhook URL, the
signature recipe and its shell example, the secret wizard (generate,
rotate with a grace period) and the test event, posted over HTTP to the
line's own endpoint."""

import shutil
import subprocess
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import URL, AtelierCtiCommon, dumps, event, signed_headers


@tagged("post_install", "-at_install")
class TestConnection(AtelierCtiCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_cti()
        cls.Event = cls.env["atelier.call.event"]

    def counts(self):
        self.env.invalidate_all()
        return (
            self.env["atelier.call"].search_count([]),
            self.Event.search_count([]),
        )

    def test_line_form_gives_url_recipe_and_example(self):
        line = self.line.with_user(self.admin)
        self.assertEqual(line.webhook_url, self.base_url() + URL)
        self.assertEqual(line.database_name, self.env.cr.dbname)
        example = line.curl_example
        for fragment in (
            line.webhook_url,
            "X-Atelier-Line: front",
            f"X-Odoo-Database: {self.env.cr.dbname}",
            "openssl dgst -sha256 -hmac",
            "sha256=$SIG",
        ):
            self.assertIn(fragment, example)
        form = line.get_views([(False, "form")])["views"]["form"]["arch"]
        for name in ("webhook_url", "curl_example", "action_send_test_event"):
            self.assertIn(f'name="{name}"', form)
        self.assertIn("HMAC-SHA256", form)
        # the example is for administrators; the URL is no secret
        claire_line = self.line.with_user(self.claire)
        self.assertEqual(claire_line.webhook_url, line.webhook_url)
        self.assertNotIn("curl_example", claire_line.fields_get())

    def test_the_shell_example_works(self):
        """The example of the line form, run as printed, is accepted."""
        if not (shutil.which("curl") and shutil.which("openssl")):
            self.fail("curl and openssl are needed to run the line's example")
        script = self.line.with_user(self.admin).curl_example.replace(
            "<the secret of this line>", "test-secret-0123456789abcdef"
        )
        before = self.counts()
        # a request from outside the test's browser: let the server take it
        with self.allow_requests(all_requests=True):
            result = subprocess.run(
                ["bash", "-c", script],
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), '{"ping": "ok", "line": "front"}')
        self.assertEqual(self.counts(), before)

    def test_ping_checks_everything_and_stores_nothing(self):
        before = self.counts()
        body = dumps({"event": "ping"})
        response = self.url_open(URL, data=body, headers=signed_headers(body))
        self.assertEqual(response.json(), {"ping": "ok", "line": "front"})
        refused = self.url_open(
            URL, data=body, headers=signed_headers(body, secret="not-the-secret")
        )
        self.assertEqual(refused.status_code, 401)
        self.assertEqual(self.counts(), before)

    def send_test_event(self, record, method="action_send_test_event"):
        """Run the button; Odoo's own request to the endpoint is let in."""
        with self.allow_requests(all_requests=True):
            return getattr(record, method)()

    def test_send_test_event_posts_to_the_endpoint(self):
        line = self.line.with_user(self.admin)
        action = self.send_test_event(line)
        self.assertEqual(action["params"]["type"], "success", action)
        self.assertTrue(line.test_ok)
        self.assertIn("connected", line.test_result)
        self.assertTrue(line.test_at)
        # Odoo cannot reach the URL it gives to the PBX: said so
        self.env["ir.config_parameter"].set_param("web.base.url", "http://127.0.0.1:9")
        action = self.send_test_event(line)
        self.assertEqual(action["params"]["type"], "danger")
        self.assertFalse(line.test_ok)
        self.assertIn("could not be reached", line.test_result)
        # no secret yet
        self.line.secret = False
        self.send_test_event(line)
        self.assertIn("secret first", line.test_result)

    def test_settings_act_on_the_chosen_line(self):
        settings = (
            self.env["res.config.settings"]
            .with_user(self.admin)
            .create({"atelier_cti_line_id": self.line.id})
        )
        self.assertEqual(settings.atelier_cti_webhook_url, self.base_url() + URL)
        self.assertGreaterEqual(settings.atelier_cti_line_count, 1)
        action = settings.action_atelier_cti_set_secret()
        self.assertEqual(action["res_model"], "atelier.cti.line.secret")
        self.assertEqual(action["context"]["default_line_id"], self.line.id)
        action = self.send_test_event(settings, "action_atelier_cti_send_test_event")
        self.assertEqual(action["params"]["type"], "success", action)

    def test_rotation_keeps_the_old_secret_for_a_while(self):
        old = "test-secret-0123456789abcdef"
        wizard = (
            self.env["atelier.cti.line.secret"]
            .with_user(self.admin)
            .create({"line_id": self.line.id, "grace": "1"})
        )
        self.assertTrue(wizard.rotation)
        new = wizard.secret
        wizard.action_apply()
        self.assertEqual(self.line.secret, new)

        def post(secret):
            body = dumps(event("ringing"))
            return self.url_open(
                URL, data=body, headers=signed_headers(body, secret=secret)
            ).status_code

        self.assertEqual(post(new), 200)
        self.assertEqual(post(old), 200)
        # once the grace period is over, only the new one
        self.line.previous_secret_expiry = fields.Datetime.now() - timedelta(seconds=1)
        self.assertEqual(post(old), 401)
        self.assertEqual(post(new), 200)
        # no grace: the old one is refused at once
        wizard = (
            self.env["atelier.cti.line.secret"]
            .with_user(self.admin)
            .create({"line_id": self.line.id, "grace": "0"})
        )
        newest = wizard.secret
        wizard.action_apply()
        self.assertEqual(post(new), 401)
        self.assertEqual(post(newest), 200)

    def test_only_administrators_connect_a_line(self):
        for user in (self.claire, self.gaetan, self.portal, self.coach, self.bridge):
            with self.subTest(user=user.login):
                line = self.line.with_user(user)
                with self.assertRaises(AccessError):
                    line.action_send_test_event()
                with self.assertRaises(AccessError):
                    line.action_set_secret()
                with self.assertRaises(AccessError):
                    self.env["atelier.cti.line.secret"].with_user(user).create(
                        {"line_id": self.line.id}
                    )
        self.assertFalse(self.line.test_at)

    def test_line_code_fits_in_a_header(self):
        with self.assertRaises(ValidationError):
            self.line.copy({"code": "front desk 'quoted'"})
