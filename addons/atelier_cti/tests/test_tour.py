# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import UTC, datetime, timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from odoo.addons.atelier_cti.tools.events import parse_body

from .common import AtelierCtiCommon, dumps, event


@tagged("post_install", "-at_install")
class TestCallPopupTour(AtelierCtiCommon, HttpCase):
    """The tours sign their events with the common line's code and secret."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_cti()

    def test_popup_note_on_contact(self):
        """The tour posts the signed events itself (a step runs a fetch with
        an HMAC computed by WebCrypto), so the event always arrives after the
        tab is listening: the whole path endpoint -> bus -> pop-up runs."""
        self.start_tour("/odoo", "atelier_cti_popup_tour", login="claire_cti")
        call = self.env["atelier.call"].search(
            [("provider_call_id", "=", "tour-call-1")]
        )
        self.assertEqual(call.partner_id, self.garage)
        self.assertEqual(call.user_id, self.assistant2)
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
            parse_body(
                dumps(event("ringing", "tour-pending", **{"from": self.unknown_number}))
            ),
        )
        self.start_tour("/odoo", "atelier_cti_pending_tour", login="claire_cti")
        # the repeated ring reached Odoo (and the pop-up ignored it)
        call = self.env["atelier.call"].search(
            [("provider_call_id", "=", "tour-pending")]
        )
        self.assertEqual(len(call.event_ids), 2)

    def test_replayed_ring_of_a_missed_call_does_not_pop_up(self):
        """A new tab gets the bus notifications of the last minute: the ring
        of a call missed since, then its end. No ringing pop-up for it. The
        other call, still ringing, only comes through that replay (it started
        too long ago for the pending calls): once its pop-up shows, the
        whole batch was handled."""
        Call = self.env["atelier.call"].sudo()
        Bus = self.env["bus.bus"].sudo()
        last = Bus.search([], order="id desc", limit=1).id
        for kind in ("ringing", "missed"):
            Call._cti_process_event(
                self.line,
                parse_body(
                    dumps(event(kind, "tour-replay-missed", **{"from": "0612345670"}))
                ),
            )
        long_ago = datetime.now(UTC) - timedelta(minutes=5)
        Call._cti_process_event(
            self.line,
            parse_body(
                dumps(
                    event(
                        "ringing",
                        "tour-replay-ringing",
                        at=long_ago.replace(microsecond=0).isoformat(),
                        **{"from": "0698765432"},
                    )
                )
            ),
        )
        self.assertEqual(
            Call.with_user(self.claire).atelier_pending_calls(), [], "replay only"
        )
        self.env.cr.precommit.run()
        notifications = Bus.search([("id", ">", last)])
        # as sent just now (the test transaction's clock may be older): the
        # bus replays the notifications of its last minute to a new tab
        self.env.cr.execute(
            SQL(
                "UPDATE bus_bus SET create_date = %s WHERE id = ANY(%s)",
                fields.Datetime.now(),
                notifications.ids,
            )
        )
        self.start_tour("/odoo", "atelier_cti_replayed_ring_tour", login="claire_cti")

    def test_popup_new_contact_and_outcome(self):
        self.start_tour("/odoo", "atelier_cti_outcome_tour", login="claire_cti")
        call = self.env["atelier.call"].search(
            [("provider_call_id", "=", "tour-call-2")]
        )
        self.assertEqual(call.partner_id.name, "Nouveau Client")
        self.assertEqual(call.partner_id.atelier_phone_index_ids.e164, "+33478554433")
        self.assertEqual(call.user_id, self.claire)
        self.assertEqual(call.state, "ended")
        self.assertEqual(call.outcome, "resolved")

    def test_dial_from_a_contact_stays_in_the_web_client(self):
        """ "Call" on a contact: no 404 page, the outgoing call in the pop-ups,
        and the missed call is called back once its outcome is logged."""
        Call = self.env["atelier.call"].sudo()
        for kind in ("ringing", "missed"):
            answer = Call._cti_process_event(
                self.line,
                parse_body(dumps(event(kind, "tour-missed", **{"from": "0612345678"}))),
            )
        missed = Call.browse(answer["call_id"])
        # its ring, replayed by the bus to a new tab, would pop it up too.
        # The notifications are written at commit (a precommit hook): write
        # them now, else the tour's first request would and the replayed
        # ring would race with the outgoing call for the expanded pop-up
        self.env.cr.precommit.run()
        self.env["bus.bus"].sudo().search([]).unlink()
        self.start_tour(
            f"/odoo/res.partner/{self.marie.id}",
            "atelier_cti_dial_tour",
            login="claire_cti",
        )
        outgoing = missed.callback_call_id
        self.assertEqual(outgoing.direction, "outbound")
        self.assertEqual(outgoing.user_id, self.claire)
        self.assertEqual(outgoing.state, "ended")
        self.assertEqual(outgoing.outcome, "information")
        self.assertTrue(missed.callback_done)
