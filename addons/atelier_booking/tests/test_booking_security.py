# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who may call what: every public method of the booking models, as the
users who must be refused, and the calendar events of the technicians."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import (
    a_monday,
    atelier_public_methods,
    paris,
    probe_public_methods,
    setup_booking_data,
)


@tagged("post_install", "-at_install")
class TestBookingSecurity(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.data = setup_booking_data(cls.env, prefix="bksec")
        cls.type = cls.data["type"]
        cls.gaetan = cls.data["gaetan"]
        cls.hugo = cls.data["hugo"]
        cls.claire = cls.data["claire"]
        cls.portal = cls.data["portal"]
        cls.client = cls.data["client"]
        cls.monday = a_monday()
        cls.Booking = cls.env["atelier.booking"]
        cls.coach = new_test_user(
            cls.env, login="bksec_coach", groups="atelier_base.group_coach"
        )
        # a technical user like the OBD bridge's: no internal nor portal group
        technical = cls.env["res.groups"].create({"name": "bksec technical"})
        cls.technical = new_test_user(
            cls.env,
            login="bksec_technical",
            group_ids=technical.ids,
        )
        cls.booking = cls.book(
            9, cls.gaetan, answers={"answer_description": "Bruit moteur bksec"}
        )

    @classmethod
    def book(cls, hour, technician, partner=None, day=None, **kw):
        return cls.Booking._book(
            cls.type,
            paris(day or cls.monday, hour),
            partner=partner or cls.client,
            technician=technician,
            hold=False,
            **kw,
        )

    # ------------------------------------------------------------------
    # every public method, refused to those who must not call it
    # ------------------------------------------------------------------
    def test_public_methods_are_known(self):
        """The audit covers what exists: a new public method fails here
        until it is added to the probe (with its arguments) below."""
        found = {
            (model, name)
            for model in (
                "atelier.booking",
                "atelier.appointment.type",
                "atelier.booking.wizard",
                "atelier.booking.wizard.slot",
                "res.partner",
                "res.users",
                "res.config.settings",
                "calendar.event",
                "calendar.attendee",
                "resource.calendar.leaves",
            )
            for name in atelier_public_methods(self.env[model], "atelier_booking")
        }
        self.assertEqual(found, set(self._probes()))

    def _probes(self):
        """{(model, method): (record the callers do not own, args)}"""
        wizard = (
            self.env["atelier.booking.wizard"]
            .with_user(self.claire)
            .create({"partner_id": self.client.id})
        )
        wizard._onchange_slots()
        return {
            ("atelier.booking", "action_confirm"): (self.booking, ()),
            ("atelier.booking", "action_cancel"): (self.booking, ()),
            ("atelier.booking", "action_done"): (self.booking, ()),
            ("atelier.booking", "action_no_show"): (self.booking, ()),
            ("atelier.booking", "action_open_event"): (self.booking, ()),
            ("atelier.appointment.type", "action_view_bookings"): (self.type, ()),
            ("atelier.appointment.type", "action_toggle_published"): (self.type, ()),
            ("res.partner", "action_atelier_view_bookings"): (self.client, ()),
            ("res.partner", "action_atelier_book"): (self.client, ()),
            ("atelier.booking.wizard.slot", "action_book"): (wizard.slot_ids[0], ()),
        }

    def test_public_methods_refused_to_portal_coach_and_technical_user(self):
        self.booking.state = "held"
        self.booking.awaiting_approval = True
        before = self.booking.read(["state", "start"])
        for user in (self.portal, self.coach, self.technical):
            probe_public_methods(self, user, self._probes())
        self.assertEqual(self.booking.read(["state", "start"]), before)
        self.assertTrue(self.type.is_published)

    # ------------------------------------------------------------------
    # cancel: per role, the cutoff for clients in the model
    # ------------------------------------------------------------------
    def test_cancel_refused_to_a_colleague_and_another_client(self):
        with self.assertRaises(AccessError):
            self.booking.with_user(self.hugo).action_cancel()
        other = new_test_user(
            self.env, login="bksec_other_portal", groups="base.group_portal"
        )
        mine = self.book(10, self.hugo, partner=self.portal.partner_id)
        with self.assertRaises(AccessError):
            mine.with_user(other).action_cancel()
        self.assertEqual(mine.state, "confirmed")
        self.assertEqual(self.booking.state, "confirmed")

    def test_cancel_per_role(self):
        self.booking.with_user(self.gaetan).action_cancel()
        self.assertEqual(self.booking.state, "cancelled")
        other = self.book(11, self.hugo)
        other.with_user(self.claire).action_cancel()
        self.assertEqual(other.state, "cancelled")

    def test_client_cancels_own_booking_before_the_cutoff_only(self):
        mine = self.book(10, self.hugo, partner=self.portal.partner_id)
        self.env["ir.config_parameter"].set_param(
            "atelier_booking.manage_cutoff_hours", 24 * 60
        )
        with self.assertRaisesRegex(UserError, "closed"):
            mine.with_user(self.portal).action_cancel()
        self.assertEqual(mine.state, "confirmed")
        self.env["ir.config_parameter"].set_param(
            "atelier_booking.manage_cutoff_hours", 24
        )
        mine.with_user(self.portal).action_cancel()
        self.assertEqual(mine.state, "cancelled")
        # the desk is not bound by the clients' cutoff
        late = self.book(14, self.hugo)
        self.env["ir.config_parameter"].set_param(
            "atelier_booking.manage_cutoff_hours", 24 * 60
        )
        late.with_user(self.claire).action_cancel()
        self.assertEqual(late.state, "cancelled")

    # ------------------------------------------------------------------
    # approval: assistants only
    # ------------------------------------------------------------------
    def test_only_the_desk_approves(self):
        self.type.confirmation = "manual"
        mine = self.Booking._book(
            self.type,
            paris(self.monday, 11),
            partner=self.portal.partner_id,
            technician=self.hugo,
            hold=True,
        )
        mine._confirm(approved=False)
        self.assertTrue(mine.awaiting_approval)
        for user in (self.portal, self.hugo):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                mine.with_user(user).action_confirm()
        self.assertEqual(mine.state, "held")
        mine.with_user(self.claire).action_confirm()
        self.assertEqual(mine.state, "confirmed")

    def test_done_and_no_show_by_the_technician_only(self):
        past = self.Booking.create(
            {
                "appointment_type_id": self.type.id,
                "partner_id": self.portal.partner_id.id,
                "technician_id": self.gaetan.id,
                "start": fields.Datetime.now() - timedelta(hours=3),
                "state": "confirmed",
            }
        )
        for user in (self.portal, self.hugo):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                past.with_user(user).action_done()
        past.with_user(self.gaetan).action_done()
        self.assertEqual(past.state, "done")

    # ------------------------------------------------------------------
    # calendar events: a colleague's appointment is only busy time
    # ------------------------------------------------------------------
    def test_colleague_sees_busy_only(self):
        event = self.booking.event_id.with_user(self.hugo)
        values = event.read(["name", "description", "location", "partner_ids"])[0]
        self.assertEqual(values["name"], "Busy")
        self.assertFalse(values["description"])
        self.assertNotIn(self.client.id, values["partner_ids"])
        self.assertEqual(event.display_name, "Busy")
        # nor through the attendees, nor by searching the text
        attendees = (
            self.env["calendar.attendee"]
            .with_user(self.hugo)
            .search_read([("event_id", "=", event.id)], ["partner_id"])
        )
        self.assertEqual(
            [a["partner_id"][0] for a in attendees], self.gaetan.partner_id.ids
        )
        Event = self.env["calendar.event"].with_user(self.hugo)
        for field in ("name", "description"):
            with self.subTest(field):
                self.assertFalse(
                    Event.search(
                        [("id", "=", event.id), (field, "ilike", "Jeanne Client")]
                        if field == "name"
                        else [("id", "=", event.id), (field, "ilike", "bksec")]
                    )
                )
        # other events stay searchable by their text, whatever their privacy
        # setting left empty means
        meeting = self.env["calendar.event"].create(
            {
                "name": "Réunion bksec",
                "start": paris(self.monday, 14),
                "stop": paris(self.monday, 15),
                "partner_ids": [(6, 0, self.gaetan.partner_id.ids)],
            }
        )
        self.assertEqual(Event.search([("name", "ilike", "Réunion bksec")]), meeting)
        # the slot still shows as busy time in the colleague's calendar
        self.assertEqual(
            Event.search([("partner_ids", "in", self.gaetan.partner_id.ids)]),
            event | meeting,
        )
        # the technician himself reads his appointment (in his own request:
        # the records cache of this transaction holds what Hugo was shown)
        self.env.invalidate_all()
        mine = self.booking.event_id.with_user(self.gaetan)
        self.assertIn("Jeanne Client", mine.name)
        self.assertIn("Bruit moteur", mine.description or "")
