# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""French users read French: the data records and e-mails of the addon are
translated by its fr.po (Odoo's own French is not in this source tree)."""

from odoo.tests import TransactionCase, tagged

from .common import a_monday, paris, setup_booking_data


@tagged("post_install", "-at_install")
class TestBookingFrench(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["atelier_booking"], ["fr_FR"], overwrite=True
        )
        cls.data = setup_booking_data(cls.env, prefix="bkfr")
        cls.data["client"].lang = "fr_FR"

    def test_website_menu_in_french(self):
        website = self.env["website"].get_current_website()
        menu = self.env["website.menu"].search(
            [("url", "=", "/book"), ("website_id", "=", website.id)]
        )
        self.assertEqual(menu.with_context(lang="fr_FR").name, "Prendre rendez-vous")

    def test_emails_in_french(self):
        booking = self.env["atelier.booking"]._book(
            self.data["type"],
            paris(a_monday(), 9),
            partner=self.data["client"],
            technician=self.data["gaetan"],
            hold=False,
        )
        booking._reschedule(paris(a_monday(), 14))
        booking._cancel()
        mails = self.env["mail.mail"].search(
            [("model", "=", "atelier.booking"), ("res_id", "=", booking.id)],
            order="id",
        )
        self.assertEqual(len(mails), 3)
        confirmed, moved, cancelled = mails
        self.assertIn("est confirmé", confirmed.body_html)
        self.assertIn("a été déplacé du", moved.body_html)
        self.assertTrue(moved.subject.startswith("Déplacé"))
        self.assertIn("Reprendre rendez-vous", cancelled.body_html)
        # dates in the client's language too
        self.assertIn(
            booking.with_context(lang="fr_FR")._local_start(), moved.body_html
        )
