# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from datetime import datetime, timedelta
from unittest.mock import patch

import psycopg2.errors

from odoo import Command, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger, sql

from ..models.atelier_booking import SlotTakenError
from .common import a_monday, paris, setup_booking_data


@tagged("post_install", "-at_install")
class TestBooking(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.data = setup_booking_data(cls.env)
        cls.type = cls.data["type"]
        cls.gaetan = cls.data["gaetan"]
        cls.hugo = cls.data["hugo"]
        cls.client = cls.data["client"]
        cls.monday = a_monday()
        cls.Booking = cls.env["atelier.booking"]

    def local_slots(self, technician, day=None):
        day = day or self.monday
        start, stop = paris(day, 0), paris(day, 24)
        slots = self.type._get_free_slots(start, stop, technicians=technician)
        return slots[technician.id]

    def book(self, hour, technician=None, hold=False, **kw):
        return self.Booking._book(
            self.type,
            paris(self.monday, hour),
            partner=self.client,
            technician=technician or self.gaetan,
            hold=hold,
            **kw,
        )

    # ------------------------------------------------------------------
    # availability through the Odoo layer
    # ------------------------------------------------------------------
    def test_resources_created_for_technicians(self):
        self.assertEqual(len(self.data["resources"]), 2)
        self.assertEqual(
            set(self.data["resources"].user_id.ids), set(self.type.technician_ids.ids)
        )

    def test_slots_follow_working_hours(self):
        expected = [paris(self.monday, h) for h in (9, 10, 11, 14, 15, 16)]
        self.assertEqual(self.local_slots(self.gaetan), expected)

    def test_busy_event_blocks_free_or_declined_does_not(self):
        event = self.env["calendar.event"].create(
            {
                "name": "Dentist",
                "start": paris(self.monday, 15),
                "stop": paris(self.monday, 16),
                "partner_ids": [Command.set(self.gaetan.partner_id.ids)],
                "show_as": "busy",
            }
        )
        slots = self.local_slots(self.gaetan)
        # 15:00 overlaps, 14:00 ends at 15:00 but its 30 min buffer does not fit
        self.assertNotIn(paris(self.monday, 15), slots)
        self.assertNotIn(paris(self.monday, 14), slots)
        self.assertIn(paris(self.monday, 16), slots)
        self.assertEqual(len(self.local_slots(self.hugo)), 6)
        event.show_as = "free"
        self.assertEqual(len(self.local_slots(self.gaetan)), 6)
        event.show_as = "busy"
        event.attendee_ids.filtered(
            lambda a: a.partner_id == self.gaetan.partner_id
        ).state = "declined"
        self.assertEqual(len(self.local_slots(self.gaetan)), 6)

    def test_leaves_block(self):
        Leave = self.env["resource.calendar.leaves"]
        Leave.create(
            {
                "name": "Gaetan off",
                "resource_id": self.data["resources"]
                .filtered(lambda r: r.user_id == self.gaetan)
                .id,
                "calendar_id": self.data["calendar"].id,
                "date_from": paris(self.monday, 13),
                "date_to": paris(self.monday, 18),
            }
        )
        self.assertEqual(
            self.local_slots(self.gaetan), [paris(self.monday, h) for h in (9, 10, 11)]
        )
        self.assertEqual(len(self.local_slots(self.hugo)), 6)
        Leave.create(
            {
                "name": "Public holiday",
                "calendar_id": self.data["calendar"].id,
                "date_from": paris(self.monday, 0),
                "date_to": paris(self.monday, 24),
            }
        )
        self.assertEqual(self.local_slots(self.hugo), [])

    def test_queries_do_not_grow_with_technicians_or_days(self):
        def count(technicians, days):
            self.env.invalidate_all()
            start = paris(self.monday, 0)
            before = self.env.cr.sql_log_count
            self.type._get_agendas(technicians, start, start + timedelta(days=days))
            return self.env.cr.sql_log_count - before

        self.book(9)
        self.book(10, technician=self.hugo)
        one = count(self.gaetan, 1)
        self.assertEqual(count(self.gaetan | self.hugo, 1), one)
        self.assertEqual(count(self.gaetan | self.hugo, 30), one)

    # ------------------------------------------------------------------
    # booking, constraint, concurrency inside one transaction
    # ------------------------------------------------------------------
    def test_exclusion_constraint_exists(self):
        self.env.cr.execute("SELECT 1 FROM pg_extension WHERE extname = 'btree_gist'")
        self.assertTrue(self.env.cr.fetchone())
        self.env.cr.execute(
            "SELECT contype FROM pg_constraint WHERE conname = "
            "'atelier_booking_no_double_booking'"
        )
        self.assertEqual(self.env.cr.fetchone(), ("x",))

    def test_stored_constraints_match_their_declaration(self):
        # what Constraint.apply_to_database compares on every -u: a mismatch
        # drops and recreates the constraint (and the exclusion's gist index)
        for model_name in ("atelier.booking", "atelier.appointment.type"):
            model = self.env[model_name]
            constraints = [
                obj
                for obj in model._table_objects.values()
                if isinstance(obj, models.Constraint)
            ]
            self.assertTrue(constraints)
            for constraint in constraints:
                with self.subTest(constraint.name):
                    self.assertEqual(
                        sql.constraint_definition(
                            self.env.cr, model._table, constraint.full_name(model)
                        ),
                        constraint.get_definition(self.registry),
                    )

    @mute_logger("odoo.sql_db")
    def test_database_refuses_overlap_including_buffers(self):
        first = self.Booking.create(
            {
                "appointment_type_id": self.type.id,
                "partner_id": self.client.id,
                "technician_id": self.gaetan.id,
                "start": paris(self.monday, 10),
                "state": "confirmed",
            }
        )
        self.assertEqual(first.blocked_stop, paris(self.monday, 11, 30))
        vals = {
            "appointment_type_id": self.type.id,
            "partner_id": self.client.id,
            "technician_id": self.gaetan.id,
            "start": paris(self.monday, 11),  # inside the 30 min buffer
            "state": "held",
        }
        with (
            self.assertRaises(psycopg2.errors.ExclusionViolation),
            self.env.cr.savepoint(),
        ):
            self.Booking.create(vals)
        # another technician, or a cancelled booking, does not collide
        self.Booking.create(dict(vals, technician_id=self.hugo.id))
        first.state = "cancelled"
        self.env.flush_all()
        self.Booking.create(vals)
        self.env.flush_all()

    def test_hold_then_confirm(self):
        booking = self.book(9, hold=True, client_tz="America/New_York")
        self.assertEqual(booking.state, "held")
        self.assertTrue(booking.hold_token)
        self.assertAlmostEqual(
            booking.hold_expiry,
            fields.Datetime.now() + timedelta(minutes=10),
            delta=timedelta(minutes=1),
        )
        self.assertFalse(booking.event_id)
        self.assertNotIn(paris(self.monday, 9), self.local_slots(self.gaetan))
        booking._confirm()
        self.assertEqual(booking.state, "confirmed")
        self.assertFalse(booking.hold_token)
        self.assertTrue(booking.access_token)
        event = booking.event_id
        self.assertEqual(event.start, booking.start)
        self.assertEqual(event.stop, paris(self.monday, 10))
        # the technician's agenda: the client is no attendee colleagues see
        self.assertEqual(event.partner_ids, self.gaetan.partner_id)
        self.assertEqual(event.privacy, "private")
        mail = self.env["mail.mail"].search(
            [("model", "=", "atelier.booking"), ("res_id", "=", booking.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(booking._manage_url(), mail.body_html)
        ics = mail.attachment_ids
        self.assertEqual(ics.mimetype, "text/calendar")
        content = base64.b64decode(ics.datas).decode()
        self.assertIn("BEGIN:VCALENDAR", content)
        self.assertIn(booking.start.strftime("%Y%m%dT%H%M%S"), content)

    def test_client_confirmation_is_written_by_the_company(self):
        """A client who confirms on the portal receives the company's e-mail:
        in the booking's chatter it is not shown as written by the client."""
        portal = self.data["portal"]
        booking = self.Booking._book(
            self.type,
            paris(self.monday, 9),
            partner=portal.partner_id,
            technician=self.gaetan,
            hold=True,
        )
        booking.with_user(portal)._confirm()
        mail = self.env["mail.mail"].search(
            [("model", "=", "atelier.booking"), ("res_id", "=", booking.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.author_id, booking.company_id.partner_id)

    def test_manual_confirmation_waits_for_the_desk(self):
        self.type.confirmation = "manual"
        booking = self.book(9, hold=True)
        booking._confirm(approved=False)
        self.assertEqual(booking.state, "held")
        self.assertTrue(booking.awaiting_approval)
        self.assertFalse(booking.hold_expiry)
        self.assertFalse(booking.event_id)
        self.Booking._cron_expire_holds()
        self.assertEqual(booking.state, "held")
        booking.with_user(self.data["claire"]).action_confirm()
        self.assertEqual(booking.state, "confirmed")
        self.assertTrue(booking.event_id)

    def test_taken_slot_gives_next_slots_and_no_event(self):
        self.book(9)
        events = self.env["calendar.event"].search_count([])
        with self.assertRaises(SlotTakenError) as caught:
            self.book(9)
        self.assertTrue(caught.exception.next_slots)
        self.assertNotIn(paris(self.monday, 9), caught.exception.next_slots)
        self.assertEqual(self.env["calendar.event"].search_count([]), events)

    @mute_logger("odoo.sql_db")
    def test_concurrent_insert_caught_in_savepoint(self):
        """The engine saw the slot free, yet the row exists (another
        transaction won): the insert fails, nothing half-created remains."""
        self.book(9)
        events = self.env["calendar.event"].search_count([])
        with (
            patch.object(
                type(self.type),
                "_get_free_slots",
                lambda rec, *a, **kw: {self.gaetan.id: [paris(self.monday, 9)]},
            ),
            self.assertRaises(SlotTakenError),
        ):
            self.book(9)
        self.assertEqual(
            self.Booking.search_count(
                [("technician_id", "=", self.gaetan.id), ("state", "!=", "cancelled")]
            ),
            1,
        )
        self.assertEqual(self.env["calendar.event"].search_count([]), events)

    def test_automatic_assignment_least_loaded(self):
        self.book(9, technician=self.hugo)
        self.book(11, technician=self.hugo)
        auto = self.Booking._book(
            self.type, paris(self.monday, 14), partner=self.client, hold=False
        )
        self.assertEqual(auto.technician_id, self.gaetan)
        auto2 = self.Booking._book(
            self.type, paris(self.monday, 16), partner=self.client, hold=False
        )
        self.assertEqual(auto2.technician_id, self.gaetan)
        auto3 = self.Booking._book(
            self.type,
            paris(self.monday + timedelta(days=1), 9),
            partner=self.client,
            hold=False,
        )
        # two each: the tie goes to the smallest id
        self.assertEqual(auto3.technician_id, self.gaetan)

    def test_bad_input_refused(self):
        now = fields.Datetime.now()
        cases = {
            "too soon": now + timedelta(minutes=30),
            "too far": now + timedelta(days=90),
            "malformed": "2027-13-45T10:00",
            "garbage": "tomorrow please",
            "not a slot": paris(self.monday, 9, 17),
            "weekend": paris(self.monday + timedelta(days=5), 10),
        }
        for label, start in cases.items():
            with self.subTest(label), self.assertRaises(ValidationError):
                self.Booking._book(self.type, start, partner=self.client)
        with self.assertRaises(ValidationError):
            self.Booking._book(
                self.type, paris(self.monday, 9), technician=self.data["claire"]
            )

    def test_lapsed_hold_frees_the_slot(self):
        held = self.book(9, hold=True)
        held.hold_expiry = fields.Datetime.now() - timedelta(minutes=1)
        self.assertIn(paris(self.monday, 9), self.local_slots(self.gaetan))
        other = self.book(9)
        self.assertEqual(other.state, "confirmed")
        self.assertEqual(held.state, "cancelled")
        self.assertFalse(self.Booking._find_by_token(held.hold_token, "hold"))
        with self.assertRaises(UserError):
            held._confirm()

    def test_cron_expires_holds(self):
        held = self.book(9, hold=True)
        fresh = self.book(14, hold=True)
        held.hold_expiry = fields.Datetime.now() - timedelta(minutes=1)
        self.Booking._cron_expire_holds()
        self.assertEqual(held.state, "cancelled")
        self.assertEqual(fresh.state, "held")

    def test_reminder_cron(self):
        soon = self.Booking.create(
            {
                "appointment_type_id": self.type.id,
                "partner_id": self.client.id,
                "technician_id": self.gaetan.id,
                "start": fields.Datetime.now() + timedelta(hours=20),
                "state": "confirmed",
                "access_token": "t" * 40,
                "access_token_expiry": fields.Datetime.now() + timedelta(days=2),
            }
        )
        later = self.book(9)
        self.Booking._cron_send_reminders()
        self.assertTrue(soon.reminder_sent)
        self.assertFalse(later.reminder_sent)
        mails = self.env["mail.mail"].search(
            [("model", "=", "atelier.booking"), ("res_id", "=", soon.id)]
        )
        self.assertEqual(len(mails), 1)
        self.assertIn("Reminder", mails.subject)
        self.assertEqual(self.Booking._cron_send_reminders(), 0)

    def test_cancel_frees_slot_and_archives_event(self):
        booking = self.book(9)
        booking._cancel()
        self.assertEqual(booking.state, "cancelled")
        self.assertFalse(booking.event_id.active)
        self.assertIn(paris(self.monday, 9), self.local_slots(self.gaetan))
        with self.assertRaises(UserError):
            booking._cancel()

    def test_done_and_no_show(self):
        booking = self.book(9)
        with self.assertRaises(UserError):
            booking.action_done()
        past = self.Booking.create(
            {
                "appointment_type_id": self.type.id,
                "partner_id": self.client.id,
                "technician_id": self.gaetan.id,
                "start": fields.Datetime.now() - timedelta(hours=3),
                "state": "confirmed",
            }
        )
        past.with_user(self.gaetan).action_no_show()
        self.assertEqual(past.state, "no_show")
        with self.assertRaises(UserError):
            past.action_done()

    def test_reschedule(self):
        booking = self.book(9)
        self.book(14)
        self.book(14, technician=self.hugo)
        booking._reschedule(paris(self.monday, 11).isoformat())
        self.assertEqual(booking.start, paris(self.monday, 11))
        self.assertEqual(booking.event_id.start, paris(self.monday, 11))
        self.assertIn(paris(self.monday, 9), self.local_slots(self.gaetan))
        with self.assertRaises(SlotTakenError):
            booking._reschedule(paris(self.monday, 14))
        # within the cutoff the client cannot change it any more
        self.env["ir.config_parameter"].set_param(
            "atelier_booking.manage_cutoff_hours", 24 * 60
        )
        with self.assertRaisesRegex(UserError, "closed"):
            booking._reschedule(paris(self.monday, 15))

    def test_reschedule_keeps_the_technician_the_client_picked(self):
        self.type.assignment = "client"
        booking = self.book(9)
        self.book(14)
        with self.assertRaises(SlotTakenError) as caught:
            booking._reschedule(paris(self.monday, 14))
        # Hugo is free at 15:00 but the client picked Gaetan: only his slots
        # (14:00 + 30 min buffer blocks 15:00) are offered instead
        self.assertEqual(caught.exception.next_slots[0], paris(self.monday, 16))
        self.assertNotIn(paris(self.monday, 15), caught.exception.next_slots)
        with self.assertRaises(SlotTakenError):
            booking._reschedule(paris(self.monday, 15))
        self.assertEqual(booking.technician_id, self.gaetan)

    def test_next_free_slots_are_the_first_of_the_whole_horizon(self):
        def first(limit):
            return list(self.type._get_merged_slots().items())[:limit]

        self.assertEqual(self.type._next_free_slots(limit=6), first(6))
        # nothing free before Monday afternoon, two weeks ahead or more: the
        # first week is empty and the search goes on over the horizon
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Closed",
                "calendar_id": self.data["calendar"].id,
                "date_from": fields.Datetime.now(),
                "date_to": paris(self.monday, 12),
            }
        )
        slots = self.type._next_free_slots(limit=4)
        self.assertEqual(slots, first(4))
        self.assertEqual(slots[0][0], paris(self.monday, 14))
        self.assertCountEqual(slots[0][1], self.type.technician_ids.ids)

    def test_tokens_are_single_purpose_and_expire(self):
        held = self.book(9, hold=True)
        self.assertGreaterEqual(len(held.hold_token), 40)
        self.assertEqual(self.Booking._find_by_token(held.hold_token, "hold"), held)
        self.assertFalse(self.Booking._find_by_token(held.hold_token, "manage"))
        held._confirm()
        self.assertFalse(self.Booking._find_by_token(held.access_token, "hold"))
        self.assertEqual(self.Booking._find_by_token(held.access_token, "manage"), held)
        held.access_token_expiry = fields.Datetime.now() - timedelta(seconds=1)
        self.assertFalse(self.Booking._find_by_token(held.access_token, "manage"))
        for garbage in ("", None, "x" * 500, "abc", 42):
            self.assertFalse(self.Booking._find_by_token(garbage, "manage"))

    def test_guest_rate_limit_counts_confirmed_guest_bookings(self):
        self.env["ir.config_parameter"].set_param(
            "atelier_booking.guest_hourly_limit", 2
        )
        ip = "203.0.113.7"
        held = self.book(9, hold=True, client_ip=ip)
        self.book(10, hold=True, client_ip=ip, technician=self.hugo)
        # holds, even lapsed or abandoned, do not count
        self.assertFalse(self.Booking._guest_rate_exceeded(ip))
        held._confirm()
        self.assertFalse(self.Booking._guest_rate_exceeded(ip))
        second = self.book(14, client_ip=ip)
        self.assertTrue(self.Booking._guest_rate_exceeded(ip))
        self.assertFalse(self.Booking._guest_rate_exceeded("203.0.113.8"))
        # a cancelled booking does not count
        second._cancel()
        self.assertFalse(self.Booking._guest_rate_exceeded(ip))
        # bookings of logged-in clients and of the desk carry no IP
        self.book(15)
        self.book(16, technician=self.hugo)
        self.assertFalse(self.Booking._guest_rate_exceeded(ip))
        self.assertFalse(self.Booking._guest_rate_exceeded(None))

    def test_guest_partner_matching(self):
        Partner = self.env["res.partner"]
        # an existing client's e-mail: linked to the client, not confirmed
        self.assertEqual(
            Partner._atelier_booking_guest_partner("J", "BK.Jeanne@example.com"),
            (self.client, False),
        )
        # a phone alone proves nothing: a contact of the guest's own
        new, confirmed = Partner._atelier_booking_guest_partner(
            "J", "other@example.com", "06 12 34 56 78"
        )
        self.assertNotEqual(new, self.client)
        self.assertTrue(confirmed)
        new, confirmed = Partner._atelier_booking_guest_partner(
            "Paul", "paul@example.com", ""
        )
        self.assertNotEqual(new, self.client)
        self.assertEqual(new.email, "paul@example.com")
        self.assertTrue(confirmed)

    # ------------------------------------------------------------------
    # addresses and times as the client reads them
    # ------------------------------------------------------------------
    def test_addresses_follow_the_country_format_without_empty_parts(self):
        self.type.location_type = "client"
        self.client.write(
            {"street": "12 rue Paul Bert", "street2": False, "zip": "33000"}
        )
        booking = self.book(9)
        self.assertEqual(booking.location, "12 rue Paul Bert, 33000")
        self.client.write(
            {"city": "Bordeaux", "country_id": self.env.ref("base.fr").id}
        )
        booking.invalidate_recordset(["location"])
        self.assertEqual(booking.location, "12 rue Paul Bert, 33000 Bordeaux, France")
        # the answer typed in the form wins, line by line
        booking.answer_address = " 3 rue des Lilas \n\n  Bât. B,\n69100 Villeurbanne"
        self.assertEqual(
            booking.location, "3 rue des Lilas, Bât. B, 69100 Villeurbanne"
        )
        # the premises: the company's address in its country's format
        self.type.location_type = "premises"
        self.env.company.partner_id.write(
            {
                "street": "40 rue Garibaldi",
                "street2": False,
                "zip": "69006",
                "city": "Lyon",
                "country_id": self.env.ref("base.fr").id,
            }
        )
        self.assertEqual(
            self.type._location_display(), "40 rue Garibaldi, 69006 Lyon, France"
        )

    def test_repeated_hour_shows_its_offset(self):
        booking = self.book(9)
        # 31 October 2027 in Paris: 02:00 CEST, then 02:00 CET an hour later
        early = booking._local_start(tz="Europe/Paris", start=datetime(2027, 10, 31, 0))
        late = booking._local_start(tz="Europe/Paris", start=datetime(2027, 10, 31, 1))
        self.assertNotEqual(early, late)
        self.assertIn("02:00 (UTC+2)", early)
        self.assertIn("02:00 (UTC+1)", late)
        self.assertNotIn("UTC", booking._local_start(tz="Europe/Paris"))
        # where the client reads it: the e-mails
        mail = self.env["mail.mail"].search(
            [("model", "=", "atelier.booking"), ("res_id", "=", booking.id)]
        )
        self.assertIn(booking._local_start(), mail.body_html)

    def test_card_section(self):
        booking = self.book(9)
        self.book(10, technician=self.hugo)._cancel()
        card = self.client.atelier_get_card()
        section = next(s for s in card["sections"] if s["key"] == "appointments")
        self.assertEqual(section["sequence"], 30)
        self.assertEqual(section["count"], 1)
        self.assertEqual(section["items"][0]["res_id"], booking.id)
        self.assertTrue(section["action"])

    def test_card_section_hidden_without_booking_access(self):
        self.book(9)
        coach = new_test_user(
            self.env, login="booking_coach", groups="atelier_base.group_coach"
        )
        card = self.client.with_user(coach).atelier_get_card()
        keys = [section["key"] for section in card["sections"]]
        self.assertIn("contact", keys)
        self.assertNotIn("appointments", keys)

    def test_record_rules(self):
        mine = self.book(9)
        other = self.book(10, technician=self.hugo)
        portal = self.data["portal"]
        portal_booking = self.Booking._book(
            self.type,
            paris(self.monday, 11),
            partner=portal.partner_id,
            technician=self.gaetan,
            hold=False,
        )
        self.assertEqual(self.Booking.with_user(portal).search([]), portal_booking)
        with self.assertRaises(AccessError):
            mine.with_user(portal).read(["start"])
        with self.assertRaises(AccessError):
            portal_booking.with_user(portal).write({"state": "cancelled"})
        self.assertEqual(self.Booking.with_user(self.hugo).search([]), other)
        self.assertEqual(
            self.Booking.with_user(self.data["claire"]).search_count([]), 3
        )
        with self.assertRaises(AccessError):
            mine.with_user(self.hugo).read(["access_token"])

    def test_wizard_books_for_a_client(self):
        claire = self.data["claire"]
        action = self.client.with_user(claire).action_atelier_book()
        self.assertTrue(
            self.env["atelier.booking.wizard"].browse(action["res_id"]).slot_ids
        )
        wizard_form = Form(
            self.env["atelier.booking.wizard"]
            .with_user(claire)
            .browse(action["res_id"])
        )
        wizard_form.appointment_type_id = self.type
        wizard_form.technician_id = self.hugo
        wizard_form.date_from = self.monday
        wizard_form.answer_vehicle = "Clio IV"
        wizard = wizard_form.save()
        self.assertTrue(wizard.slot_ids)
        first = wizard.slot_ids.sorted("start")[0]
        self.assertEqual(first.start, paris(self.monday, 9))
        result = first.action_book()
        booking = self.Booking.browse(result["res_id"])
        self.assertEqual(booking.partner_id, self.client)
        self.assertEqual(booking.technician_id, self.hugo)
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(booking.answer_vehicle, "Clio IV")
