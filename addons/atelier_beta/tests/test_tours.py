# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from unittest.mock import patch
from urllib.parse import urlsplit

from odoo.tests import HttpCase, tagged

from odoo.addons.atelier_crm.tests.smtp_server import LocalSmtpServer

from .common import AtelierBetaCommon


class BetaTourMixin(AtelierBetaCommon):
    """A real SMTP server on 127.0.0.1 receives what Odoo's mail queue sends."""

    @classmethod
    def _setup_smtp(cls):
        cls.smtp = LocalSmtpServer().start()
        cls.addClassCleanup(cls.smtp.stop)
        cls.env["ir.mail_server"].create(
            {
                "name": "Beta test SMTP sink",
                "smtp_host": "127.0.0.1",
                "smtp_port": cls.smtp.port,
                "smtp_encryption": "none",
                "sequence": 1,
            }
        )

    def _send_queue(self):
        """Odoo's mail queue, for real: only the guard that keeps tests from
        sending is lifted, towards the local server."""
        IrMailServer = type(self.env["ir.mail_server"])
        with patch.object(
            IrMailServer, "_disable_send", classmethod(lambda cls: False)
        ):
            self.env["mail.mail"].sudo().process_email_queue()

    def _link(self, address, pattern):
        self._send_queue()
        for message in reversed(self.smtp.received(address)):
            html = message.get_body(("html",)).get_content()
            found = re.search(rf'href="([^"]*{pattern}[^"]+)"', html)
            if found:
                return urlsplit(found.group(1).replace("&amp;", "&")).path
        subjects = [message["Subject"] for message in self.smtp.received(address)]
        self.fail(f"no link {pattern} sent to {address} (received: {subjects})")


@tagged("post_install", "-at_install")
class TestTours(BetaTourMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_beta("tour")
        cls._setup_smtp()
        cls.alice = cls._signup(
            "Alice Marraine", "alice.marraine@example.com", ip="198.51.100.90"
        )

    def test_visitor_signs_up_with_a_code_confirms_and_sees_the_place(self):
        self.start_tour(
            f"/beta?ref={self.alice.referral_code}", "atelier_beta_signup_tour"
        )
        signup = self.Signup.sudo().search(
            [("email", "=", "ines.visiteuse@example.com")]
        )
        self.assertEqual(
            (signup.state, signup.fuel_type, signup.profile),
            ("pending", "lpg", "young_driver"),
        )
        self.assertTrue(signup.device_id)
        link = self._link("ines.visiteuse@example.com", "/atelier/crm/optin/")
        self.start_tour(link, "atelier_beta_confirm_tour")
        self.assertEqual(signup.state, "waiting")
        self.assertTrue(signup.position)
        referral = self.Referral.search([("referred_id", "=", signup.id)])
        self.assertEqual(
            (referral.referrer_id, referral.state), (self.alice, "pending")
        )
        # the welcome e-mail carries the same links
        self.assertTrue(
            self._link("ines.visiteuse@example.com", "/beta/status/").startswith(
                "/beta/status/"
            )
        )
