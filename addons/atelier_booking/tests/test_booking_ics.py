# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The calendar files the client receives: one event per booking in their
agenda, moved and cancelled in place; the e-mails that carry them."""

import base64
from datetime import timezone

import vobject

from odoo.tests import TransactionCase, tagged

from .common import a_monday, paris, setup_booking_data


@tagged("post_install", "-at_install")
class TestBookingIcs(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.data = setup_booking_data(cls.env, prefix="bkics")
        cls.type = cls.data["type"]
        cls.gaetan = cls.data["gaetan"]
        cls.gaetan.partner_id.write(
            {"phone": "+33 6 70 00 10 02", "email": "gaetan.private@example.com"}
        )
        cls.monday = a_monday()
        cls.Booking = cls.env["atelier.booking"]
        cls.env.company.write(
            {"email": "contact@bkics.example.com", "name": "Atelier bkics"}
        )

    def mails(self, booking):
        return self.env["mail.mail"].search(
            [("model", "=", "atelier.booking"), ("res_id", "=", booking.id)],
            order="id",
        )

    def ics_of(self, mail):
        """(raw text, parsed calendar) of the .ics attached to ``mail``."""
        attachment = mail.attachment_ids.filtered(
            lambda a: a.mimetype == "text/calendar"
        )
        self.assertEqual(len(attachment), 1, mail.subject)
        raw = base64.b64decode(attachment.datas).decode()
        return raw, vobject.readOne(raw)

    def test_one_uid_increasing_sequence_request_then_cancel(self):
        booking = self.Booking._book(
            self.type,
            paris(self.monday, 9),
            partner=self.data["client"],
            technician=self.gaetan,
            hold=False,
        )
        booking._reschedule(paris(self.monday, 14))
        booking._cancel()
        confirmed, moved, cancelled = self.mails(booking)

        raw, cal = self.ics_of(confirmed)
        self.assertTrue(raw.startswith("BEGIN:VCALENDAR\r\n"))
        self.assertEqual(cal.method.value, "REQUEST")
        uid = cal.vevent.uid.value
        self.assertTrue(uid)
        self.assertEqual(cal.vevent.sequence.value, "0")
        self.assertEqual(cal.vevent.status.value, "CONFIRMED")
        self.assertEqual(
            cal.vevent.dtstart.value,
            paris(self.monday, 9).replace(tzinfo=timezone.utc),
        )
        self.assertIn("bkics diagnostic", cal.vevent.summary.value)
        self.assertIn(booking._manage_url(), cal.vevent.description.value)

        raw, cal = self.ics_of(moved)
        self.assertEqual(cal.method.value, "REQUEST")
        self.assertEqual(cal.vevent.uid.value, uid)
        self.assertEqual(cal.vevent.sequence.value, "1")
        self.assertEqual(
            cal.vevent.dtstart.value,
            paris(self.monday, 14).replace(tzinfo=timezone.utc),
        )
        # the e-mail says where it moved from and to
        self.assertIn("moved from", moved.body_html)
        self.assertIn(
            booking._local_start(start=paris(self.monday, 9)), moved.body_html
        )
        self.assertIn(booking._local_start(), moved.body_html)

        raw, cal = self.ics_of(cancelled)
        self.assertEqual(cal.method.value, "CANCEL")
        self.assertEqual(cal.vevent.uid.value, uid)
        self.assertEqual(cal.vevent.sequence.value, "2")
        self.assertEqual(cal.vevent.status.value, "CANCELLED")
        # the cancellation e-mail offers to book again
        self.assertIn(f"/book/{self.type.id}", cancelled.body_html)

    def test_no_private_contact_data_of_the_technician(self):
        booking = self.Booking._book(
            self.type,
            paris(self.monday, 9),
            partner=self.data["client"],
            technician=self.gaetan,
            hold=False,
        )
        raw, cal = self.ics_of(self.mails(booking))
        unfolded = raw.replace("\r\n ", "")
        for private in ("70 00 10 02", "+33670001002", "gaetan.private@example.com"):
            self.assertNotIn(private, unfolded)
        self.assertIn("Gaetan", cal.vevent.description.value)
        self.assertEqual(
            cal.vevent.organizer.value.lower(), "mailto:contact@bkics.example.com"
        )
        attendees = [a.value.lower() for a in cal.vevent.contents.get("attendee", [])]
        self.assertEqual(attendees, ["mailto:bkics.jeanne@example.com"])

    def test_text_is_escaped_and_folded(self):
        booking = self.Booking._book(
            self.type,
            paris(self.monday, 9),
            partner=self.data["client"],
            technician=self.gaetan,
            hold=False,
            answers={"answer_address": "3; rue des Lilas,\nBât. B " + "x" * 80},
        )
        self.type.location_type = "client"
        booking._reschedule(paris(self.monday, 10))
        raw, cal = self.ics_of(self.mails(booking)[-1])
        self.assertTrue(all(len(line.encode()) <= 75 for line in raw.split("\r\n")))
        self.assertIn("3; rue des Lilas, Bât. B", cal.vevent.location.value)
