# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every method of this addon that RPC can call checks its caller."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.atelier_booking.tests.common import (
    atelier_public_methods,
    probe_public_methods,
)

from .common import DeskCase

EXPECTED = {
    "atelier.mail.quarantine": {
        "action_process",
        "action_discard",
        "action_open_record",
    },
    "atelier.desk.pending": {"atelier_counts"},
    "atelier.desk.risk": set(),
    "atelier.desk.dashboard": {"atelier_dashboard_data"},
    "res.partner": {"atelier_timeline"},
    # Odoo's own entry point of the mail gateway, overridden (not added):
    # the guard applies to the superuser's fetch only
    "mail.thread": {"message_process"},
    # timeline values, indexes, booked-by: nothing public
    "atelier.call": set(),
    "helpdesk.ticket": set(),
    "atelier.booking": set(),
    "mail.message": set(),
}


@tagged("post_install", "-at_install")
class TestRpcSurface(DeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quarantine = cls.env["atelier.mail.quarantine"]._quarantine(
            b"From: x@y.z\r\nSubject: test\r\n\r\nbody", "error"
        )
        cls._ticket(cls, user_id=False)
        cls.pending = cls.env["atelier.desk.pending"].search([], limit=1)

    def test_the_public_methods_are_the_expected_ones(self):
        for model, names in EXPECTED.items():
            found = atelier_public_methods(self.env[model], "atelier_desk")
            if model != "mail.thread":
                # inherited by every model with a chatter
                found.discard("message_process")
            self.assertEqual(found, names, model)

    def test_outsiders_are_refused(self):
        probes = {
            ("atelier.mail.quarantine", "action_process"): (self.quarantine, ()),
            ("atelier.mail.quarantine", "action_discard"): (self.quarantine, ()),
            ("atelier.mail.quarantine", "action_open_record"): (self.quarantine, ()),
            ("atelier.desk.pending", "atelier_counts"): (self.pending.browse(), ()),
            ("atelier.desk.dashboard", "atelier_dashboard_data"): (
                self.env["atelier.desk.dashboard"],
                (30,),
            ),
        }
        for user in (self.portal, self.gaetan):
            probe_public_methods(self, user, probes)
        # the timeline is for employees; a portal client never gets it
        with self.assertRaises(AccessError):
            self.paul.with_user(self.portal).atelier_timeline()
        # the desk's figures are the manager's
        with self.assertRaises(AccessError):
            self.env["atelier.desk.dashboard"].with_user(
                self.claire
            ).atelier_dashboard_data()

    def test_the_gateway_takes_e_mails_from_employees_only(self):
        """A portal or API user cannot push a forged e-mail through the
        gateway over RPC (it would be posted in anybody's name)."""
        forged = (
            b"From: Paul Durand <paul@durand.fr>\r\nTo: support@atelier.test\r\n"
            b"Subject: forged\r\n\r\nhi"
        )
        for user in (self.portal,):
            with self.assertRaises(AccessError):
                self.env["mail.thread"].with_user(user).message_process(None, forged)
            with self.assertRaises(AccessError):
                self.env["helpdesk.ticket"].with_user(user).message_process(
                    None, forged
                )

    def test_the_fetch_guard_is_not_reachable_over_rpc(self):
        """An employee calling the gateway with the fetch's context gets
        Odoo's plain behaviour: no record set aside in their name."""
        Thread = (
            self.env["mail.thread"]
            .with_user(self.claire)
            .with_context(default_fetchmail_server_id=1)
        )
        before = self.env["atelier.mail.quarantine"].search_count([])
        with self.assertRaises(ValueError):
            Thread.message_process(None, b"From: x@y.z\r\nTo: nobody@nowhere\r\n\r\nhi")
        self.assertEqual(self.env["atelier.mail.quarantine"].search_count([]), before)
