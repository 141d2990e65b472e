# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.atelier_cti.tools.events import parse_body

from .common import dumps, event

TOUR_SECRET = "tour-secret-0123456789abcdef"


@tagged("post_install", "-at_install")
class TestCallPopupTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env.company.country_id = env.ref("base.fr")
        cls.claire = new_test_user(
            env,
            login="claire_tour",
            name="Claire Moreau",
            groups="base.group_user,base.group_partner_manager,atelier_base.group_assistant",
        )
        cls.bruno = new_test_user(
            env,
            login="bruno_tour",
            name="Bruno Petit",
            groups="base.group_user,atelier_base.group_assistant",
        )
        cls.line = env["atelier.cti.line"].create(
            {
                "name": "Tour line",
                "code": "tour-line",
                "secret": TOUR_SECRET,
                "numbers": "+33 4 72 00 00 00",
                "owner_id": cls.claire.id,
                "user_ids": [(6, 0, (cls.claire | cls.bruno).ids)],
            }
        )
        cls.garage = env["res.partner"].create(
            {"name": "Garage Dupont", "is_company": True, "phone": "04 78 12 34 56"}
        )

    def test_popup_note_on_contact(self):
        """The tour posts the signed events itself (a step runs a fetch with
        an HMAC computed by WebCrypto), so the event always arrives after the
        tab is listening: the whole path endpoint -> bus -> pop-up runs."""
        self.start_tour("/odoo", "atelier_cti_popup_tour", login="claire_tour")
        call = self.env["atelier.call"].search(
            [("provider_call_id", "=", "tour-call-1")]
        )
        self.assertEqual(call.partner_id, self.garage)
        self.assertEqual(call.user_id, self.bruno)
        self.assertEqual(call.state, "answered")
        notes = self.garage.message_ids.filtered(
            lambda m: "Wants a quote for the brakes" in (m.body or "")
        )
        self.assertEqual(len(notes), 1)
        self.assertEqual(notes.author_id, self.claire.partner_id)

    def test_popup_of_call_ringing_before_login(self):
        """Posted by the test before the tab opens: shown from the pending calls."""
        self.env["atelier.call"].sudo()._cti_process_event(
            self.line,
            parse_body(dumps(event("ringing", **{"from": "+33 4 78 55 44 33"}))),
        )
        self.start_tour("/odoo", "atelier_cti_pending_tour", login="claire_tour")

    def test_popup_new_contact_and_outcome(self):
        self.start_tour("/odoo", "atelier_cti_outcome_tour", login="claire_tour")
        call = self.env["atelier.call"].search(
            [("provider_call_id", "=", "tour-call-2")]
        )
        self.assertEqual(call.partner_id.name, "Nouveau Client")
        self.assertEqual(call.partner_id.atelier_phone_index_ids.e164, "+33478554433")
        self.assertEqual(call.user_id, self.claire)
        self.assertEqual(call.state, "ended")
        self.assertEqual(call.outcome, "resolved")
