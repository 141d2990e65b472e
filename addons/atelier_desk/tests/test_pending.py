# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""\"Nothing forgotten\": each rule, its edge, and an empty list once every
inbound contact has an owner and a next step."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.atelier_booking.tests.common import a_monday, paris, setup_booking_data

from .common import DeskCase


@tagged("post_install", "-at_install")
class TestNothingForgotten(DeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Pending = cls.env["atelier.desk.pending"].with_user(cls.claire)
        cls.booking_data = setup_booking_data(cls.env, prefix="deskpend")

    def lines(self, records=None):
        """``{(kind, model, id)}`` of the list, as Claire sees it."""
        self.env.flush_all()
        self.Pending.invalidate_model()
        lines = self.Pending.search([])
        found = {(line.kind, line.res_model, line.res_id) for line in lines}
        if records is None:
            return found
        keys = {(record._name, record.id) for record in records}
        return {line for line in found if line[1:] in keys}

    def test_answered_call_needs_an_outcome_a_ticket_or_a_booking(self):
        silent = self._call(partner=self.paul)
        with_outcome = self._call(partner=self.paul, outcome="information")
        with_ticket = self._call(partner=self.paul)
        self._ticket(atelier_call_id=with_ticket.id)
        ongoing = self._call(state="answered", partner=self.paul, end_at=False)
        self.assertEqual(
            self.lines(silent | with_outcome | with_ticket | ongoing),
            {("call_no_outcome", "atelier.call", silent.id)},
            "only the ended call that left no trace",
        )
        silent.with_user(self.claire).atelier_log_outcome("resolved")
        self.assertFalse(self.lines(silent))

    def test_call_booked_during_the_call_is_done(self):
        data = self.booking_data
        call = self._call(state="answered", partner=self.paul, end_at=False)
        call.with_user(self.claire).atelier_book_slot(
            data["type"].id, paris(a_monday(), 9).isoformat(sep=" ")
        )
        call.write({"state": "ended", "end_at": call.start_at})
        self.assertFalse(self.lines(call))

    def test_missed_call_needs_a_call_back(self):
        planned = self._call(state="missed", partner=self.lucie)
        self.assertTrue(planned.callback_activity_id, "the webhook plans a call-back")
        forgotten = self._call(state="missed", partner=self.lucie)
        forgotten.callback_activity_id.unlink()
        withheld = self._call(state="missed", number=False)
        withheld.callback_activity_id.unlink()
        self.assertEqual(
            self.lines(planned | forgotten | withheld),
            {("call_no_callback", "atelier.call", forgotten.id)},
            "a planned call-back is a next step; a withheld number cannot be called",
        )
        # the call-back activity done by someone also closes the missed call
        planned.callback_activity_id.with_user(self.claire).action_done()
        self.assertTrue(planned.callback_done)
        self.assertFalse(self.lines(planned))
        forgotten.with_user(self.claire).atelier_log_outcome("voicemail")
        self.assertFalse(self.lines(forgotten))

    def test_call_back_planned_from_the_popup_is_a_next_step(self):
        """ "Call back" in the pop-up: an answered call gets its next step, a
        missed one its call-back; undone, the call is waiting again."""
        answered = self._call(partner=self.paul)
        missed = self._call(state="missed", number="+33699887766")
        missed.callback_activity_id.unlink()
        self.assertEqual(
            self.lines(answered | missed),
            {
                ("call_no_outcome", "atelier.call", answered.id),
                ("call_no_callback", "atelier.call", missed.id),
            },
        )
        planned = answered.with_user(self.claire).atelier_schedule_call_back("hour")
        missed.with_user(self.claire).atelier_schedule_call_back("afternoon")
        self.assertFalse(self.lines(answered | missed))
        answered.with_user(self.claire).atelier_undo_call_back(
            planned["callback"]["activity_id"], planned["callback"]["outcome_set"]
        )
        self.assertEqual(
            self.lines(answered | missed),
            {("call_no_outcome", "atelier.call", answered.id)},
        )

    def test_tickets_and_portal_requests_need_an_owner(self):
        email = self._ticket(user_id=False, atelier_channel="email")
        portal = self._ticket(user_id=False, atelier_channel="portal")
        owned = self._ticket(atelier_channel="email")
        closed = self._ticket(user_id=False, atelier_channel="email")
        closed.stage_id = self.stage_done
        self.assertEqual(
            self.lines(email | portal | owned | closed),
            {
                ("ticket_no_owner", "helpdesk.ticket", email.id),
                ("portal_request", "helpdesk.ticket", portal.id),
            },
        )
        (email | portal).with_user(self.claire).user_id = self.claire
        self.assertFalse(self.lines(email | portal))

    def test_booking_request_waits_for_the_desk(self):
        data = self.booking_data
        data["type"].confirmation = "manual"
        Booking = self.env["atelier.booking"]
        booking = Booking._book(
            data["type"], paris(a_monday(), 10), partner=self.paul, hold=True
        )
        self.assertFalse(self.lines(booking), "a hold being filled in is not a request")
        booking._confirm()  # the client confirms; the desk has to accept
        self.assertTrue(booking.awaiting_approval)
        self.assertEqual(
            self.lines(booking), {("portal_request", "atelier.booking", booking.id)}
        )
        booking.with_user(data["claire"]).action_confirm()
        self.assertFalse(self.lines(booking))

    def test_empty_when_everything_is_handled_and_lines_open_their_record(self):
        call = self._call(partner=self.paul)
        missed = self._call(state="missed", partner=self.lucie)
        missed.callback_activity_id.unlink()
        ticket = self._ticket(user_id=False)
        counts = {c["kind"]: c["count"] for c in self.Pending.atelier_counts()}
        self.assertEqual(counts["call_no_outcome"], 1)
        self.assertEqual(counts["call_no_callback"], 1)
        self.assertEqual(counts["ticket_no_owner"], 1)
        self.assertEqual(counts["email_set_aside"], 0, "every kind is counted")
        self.assertEqual(
            "lead_no_salesperson" in counts,
            "crm.lead" in self.env,
            "leads only when the CRM is installed",
        )
        # a line points to its record (the list opens it in its own form)
        line = self.Pending.search([("res_model", "=", "helpdesk.ticket")])
        self.assertEqual((line.res_model, line.res_id), (ticket._name, ticket.id))

        call.with_user(self.claire).atelier_log_outcome("resolved")
        missed.with_user(self.claire).atelier_log_outcome("voicemail")
        ticket.with_user(self.claire).user_id = self.claire
        self.assertEqual(self.lines(), set(), "nothing forgotten")
        self.assertEqual(sum(c["count"] for c in self.Pending.atelier_counts()), 0)

    def test_only_the_desk_sees_the_list(self):
        self._ticket(user_id=False)
        for user in (self.gaetan, self.portal):
            with self.assertRaises(AccessError):
                self.env["atelier.desk.pending"].with_user(user).search([])
            with self.assertRaises(AccessError):
                self.env["atelier.desk.pending"].with_user(user).atelier_counts()
        self.assertTrue(
            self.env["atelier.desk.pending"].with_user(self.manager).search([])
        )

    def test_leads_without_salesperson_when_the_crm_is_installed(self):
        if "crm.lead" not in self.env:
            # the rule must not exist at all without the CRM
            self.assertNotIn(
                "crm_lead", str(self.env["atelier.desk.pending"]._table_query)
            )
            return
        lead = self.env["crm.lead"].create(
            {"name": "Demande de devis", "user_id": False}
        )
        self.assertEqual(
            self.lines(lead), {("lead_no_salesperson", "crm.lead", lead.id)}
        )
        lead.user_id = self.claire
        self.assertFalse(self.lines(lead))
