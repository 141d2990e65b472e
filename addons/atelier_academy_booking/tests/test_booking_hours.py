# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import inspect
import re
from datetime import timedelta

from odoo import fields, http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.atelier_academy.tests.common import AcademyFixtures
from odoo.addons.atelier_academy_booking import models as addon_models

MANAGE_RE = re.compile(r"/book/manage/([\w-]+)")


@tagged("post_install", "-at_install")
class TestBookingHours(AcademyFixtures, HttpCase):
    """Coaching hours booked from the dashboard through atelier_booking."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_academy("abook")
        cls.package.coaching_hours = 3
        cls.package.coach_ids = cls.coach
        cls.enrolment = cls.enrol(cls.learner)
        cls.enrolment2 = cls.enrol(cls.learner2)
        cls.appointment_type = cls.enrolment._atelier_coaching_type()
        cls.assistant = new_test_user(
            cls.env, login="abook_desk", groups="atelier_base.group_assistant"
        )

    def _free(self, count=1, skip=0):
        slots = self.appointment_type._next_free_slots(
            limit=count + skip, technician=self.coach
        )
        return [start for start, _users in slots][skip:]

    def _post(self, url, **data):
        data["csrf_token"] = http.Request.csrf_token(self)
        response = self.url_open(url, data=data, allow_redirects=False)
        self.env.invalidate_all()
        return response

    def _book(self, enrolment, start):
        return self._post(
            f"/my/academy/book/{enrolment.id}/confirm", start=start.isoformat()
        )

    def _make_past(self, booking, hours_ago=2):
        """The session took place: move the appointment and its session
        back in time (what the calendar looks like the day after)."""
        start = fields.Datetime.now().replace(microsecond=0) - timedelta(
            hours=hours_ago
        )
        stop = start + timedelta(minutes=self.appointment_type.duration)
        booking.sudo().write(
            {"start": start, "stop": stop, "blocked_start": start, "blocked_stop": stop}
        )
        booking.atelier_session_id.sudo().write({"start": start, "stop": stop})

    def test_the_coach_gets_one_appointment_type(self):
        appointment_type = self.appointment_type
        self.assertEqual(appointment_type.atelier_academy_coach_id, self.coach)
        self.assertEqual(appointment_type.technician_ids, self.coach)
        self.assertFalse(appointment_type.is_published, "not offered on /book")
        self.assertEqual(self.enrolment2._atelier_coaching_type(), appointment_type)
        self.assertEqual(
            self.enrolment._atelier_booking_url(),
            f"/my/academy/book/{self.enrolment.id}",
        )

    def test_dashboard_books_online_only_with_coaching_hours(self):
        # hours sold and a coach: the booking button replaces the e-mail link
        self.authenticate(self.learner.login, self.learner.login)
        dashboard = self.url_open("/my/academy").text
        self.assertIn(f'href="/my/academy/book/{self.enrolment.id}"', dashboard)
        self.assertNotIn("o_atelier_contact_coach", dashboard)
        # a package without coaching hours: nothing to book, write to the coach
        self.enrolment2.hours_sold = 0
        self.assertFalse(self.enrolment2._atelier_booking_url())
        self.authenticate(self.learner2.login, self.learner2.login)
        dashboard = self.url_open("/my/academy").text
        self.assertIn(f"mailto:{self.enrolment2.coach_id.email}", dashboard)
        self.assertNotIn(f"/my/academy/book/{self.enrolment2.id}", dashboard)

    def test_booking_uses_hours_and_cancelling_in_time_gives_them_back(self):
        self.authenticate(self.learner.login, self.learner.login)
        dashboard = self.url_open("/my/academy")
        self.assertTrue(
            f'href="/my/academy/book/{self.enrolment.id}"' in dashboard.text,
            "the dashboard's booking button leads to the coach's slots",
        )
        page = self.url_open(f"/my/academy/book/{self.enrolment.id}")
        self.assertEqual(page.status_code, 200)
        start = self._free()[0]
        self.assertTrue(start.isoformat() in page.text, "the free slot is offered")
        self.assertRegex(
            page.text.split("o_atelier_book_hours")[1][:200],
            r"<strong>3</strong>\s*coaching hour\(s\) left",
        )

        response = self._book(self.enrolment, start)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/book/manage/", response.headers["Location"])
        booking = self.enrolment.atelier_booking_ids
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(booking.technician_id, self.coach)
        self.assertEqual(booking.partner_id, self.learner.partner_id)
        self.assertEqual(booking.start, start)
        session = booking.atelier_session_id
        self.assertEqual(session.coach_id, self.coach)
        self.assertEqual(session.kind, "one_to_one")
        self.assertEqual((session.start, session.stop), (booking.start, booking.stop))
        self.assertEqual(session.attendance_ids.enrolment_id, self.enrolment)
        self.assertEqual(self.enrolment.hours_reserved, 1.0)
        self.assertEqual(self.enrolment.hours_left, 2.0)
        dashboard = self.url_open("/my/academy")
        self.assertTrue("o_atelier_manage_booking" in dashboard.text)

        # cancelled in time through the link of the confirmation e-mail
        token = MANAGE_RE.search(response.headers["Location"]).group(1)
        cancelled = self._post(f"/book/manage/{token}/cancel")
        self.assertEqual(cancelled.status_code, 200)
        self.assertEqual(booking.state, "cancelled")
        self.assertEqual(session.state, "cancelled")
        self.assertEqual(self.enrolment.hours_reserved, 0.0)
        self.assertEqual(self.enrolment.hours_consumed, 0.0)
        self.assertEqual(self.enrolment.hours_left, 3.0)

    def test_late_cancellation_is_refused_and_keeps_the_hours(self):
        self.authenticate(self.learner.login, self.learner.login)
        response = self._book(self.enrolment, self._free()[0])
        booking = self.enrolment.atelier_booking_ids
        # the session is in 3 hours: past the online cutoff (24 h)
        start = fields.Datetime.now().replace(microsecond=0) + timedelta(hours=3)
        stop = start + timedelta(hours=1)
        booking.sudo().write(
            {"start": start, "stop": stop, "blocked_start": start, "blocked_stop": stop}
        )
        token = MANAGE_RE.search(response.headers["Location"]).group(1)
        refused = self._post(f"/book/manage/{token}/cancel")
        self.assertEqual(refused.status_code, 403)
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(self.enrolment.hours_left, 2.0)

    def test_held_session_consumes_hours(self):
        self.authenticate(self.learner.login, self.learner.login)
        first, second = self._free(2)
        self._book(self.enrolment, first)
        self._book(self.enrolment, second)
        held, missed = self.enrolment.atelier_booking_ids.sorted("start")
        self.assertEqual(self.enrolment.hours_left, 1.0)
        self._make_past(held, hours_ago=5)
        self._make_past(missed, hours_ago=2)
        # the coach marks the learner present: the appointment is done
        held.atelier_session_id.attendance_ids.with_user(self.coach).action_present()
        self.assertEqual(held.state, "done")
        self.assertEqual(held.atelier_session_id.state, "done")
        self.assertEqual(self.enrolment.hours_consumed, 1.0)
        self.assertEqual(self.enrolment.hours_reserved, 1.0)
        # the desk marks the other one a no-show: its hour is used too
        missed.with_user(self.assistant).action_no_show()
        attendance = missed.atelier_session_id.attendance_ids
        self.assertEqual(attendance.state, "absent")
        self.assertEqual(attendance.hours, 1.0)
        self.assertEqual(self.enrolment.hours_consumed, 2.0)
        self.assertEqual(self.enrolment.hours_reserved, 0.0)
        self.assertEqual(self.enrolment.hours_left, 1.0)
        # an excused absence gives the hour back
        attendance.with_user(self.coach).action_excused()
        self.assertEqual(self.enrolment.hours_left, 2.0)

    def test_no_hours_left_refuses_the_booking(self):
        self.enrolment.hours_sold = 1
        self.authenticate(self.learner.login, self.learner.login)
        first, second = self._free(2)
        self.assertEqual(self._book(self.enrolment, first).status_code, 303)
        self.assertEqual(self.enrolment.hours_left, 0.0)
        page = self.url_open(f"/my/academy/book/{self.enrolment.id}")
        self.assertTrue("o_atelier_book_refusal" in page.text)
        self.assertFalse("o_atelier_book_slot" in page.text)
        refused = self._book(self.enrolment, second)
        self.assertEqual(refused.status_code, 409)
        self.assertTrue("You have 0 coaching hour(s) left" in refused.text)
        self.assertEqual(len(self.enrolment.atelier_booking_ids), 1)
        self.assertEqual(self.enrolment.hours_left, 0.0)
        self.assertEqual(self.enrolment.hours_reserved, 1.0)

    def test_taken_slot_and_bad_input_write_nothing(self):
        start = self._free()[0]
        self.authenticate(self.learner2.login, self.learner2.login)
        self.assertEqual(self._book(self.enrolment2, start).status_code, 303)
        self.authenticate(self.learner.login, self.learner.login)
        taken = self._book(self.enrolment, start)
        self.assertEqual(taken.status_code, 409)
        self.assertTrue("This slot was just taken" in taken.text)
        self.assertTrue("o_atelier_book_slot" in taken.text, "other slots offered")
        for value, status in (
            ("pas une date", 400),
            ((start + timedelta(minutes=17)).isoformat(), 400),
        ):
            response = self._post(
                f"/my/academy/book/{self.enrolment.id}/confirm", start=value
            )
            self.assertEqual(response.status_code, status)
        self.assertEqual(
            self.url_open(f"/my/academy/book/{self.enrolment.id}?after=x").status_code,
            400,
        )
        self.assertFalse(self.enrolment.atelier_booking_ids)
        self.assertFalse(self.enrolment.attendance_ids)
        self.assertEqual(self.enrolment.hours_left, 3.0)

    def test_only_the_learner_books_on_their_enrolment(self):
        self.authenticate(self.learner2.login, self.learner2.login)
        url = f"/my/academy/book/{self.enrolment.id}"
        self.assertEqual(self.url_open(url).status_code, 404)
        start = self._free()[0]
        self.assertEqual(self._book(self.enrolment, start).status_code, 404)
        with self.assertRaises(AccessError):
            self.enrolment.with_user(self.learner2)._atelier_book_session(start)
        self.assertFalse(self.enrolment.atelier_booking_ids)

    def test_no_public_method_added(self):
        found = set()
        for module in vars(addon_models).values():
            if not inspect.ismodule(module):
                continue
            for klass in vars(module).values():
                if inspect.isclass(klass) and hasattr(klass, "_inherit"):
                    found |= {
                        name
                        for name, member in vars(klass).items()
                        if inspect.isfunction(member) and not name.startswith("_")
                    }
        self.assertEqual(found, {"write"})
