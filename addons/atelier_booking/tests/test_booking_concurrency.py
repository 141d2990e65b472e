# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Real concurrency: committed fixtures, one cursor per thread.

The test class holds no transaction (AtelierCommittedCase): the fixtures
are committed in their own cursor and removed afterwards.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import psycopg2.errors

from odoo import Command
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tests.common import tagged
from odoo.tools import mute_logger

from odoo.addons.atelier_base.tests.common import AtelierCommittedCase

from ..models.atelier_booking import SlotTakenError
from .common import a_monday, paris, setup_booking_data

THREADS = 6


@tagged("post_install", "-at_install")
class TestBookingConcurrency(AtelierCommittedCase):
    @classmethod
    def _setup_committed(cls, env):
        data = setup_booking_data(env, prefix="bkconc")
        cls.ids = {
            key: record.ids for key, record in data.items() if hasattr(record, "ids")
        }
        cls.start = paris(a_monday(), 10)

    @classmethod
    def _cleanup_committed(cls, env):
        type_ids = cls.ids["type"]
        bookings = env["atelier.booking"].search(
            [("appointment_type_id", "in", type_ids)]
        )
        partners = bookings.partner_id
        bookings.event_id.unlink()
        env["calendar.event"].search([("name", "=like", "bkconc %")]).unlink()
        env["resource.calendar.leaves"].search([("name", "=like", "bkconc %")]).unlink()
        env["mail.mail"].search(
            [("model", "=", "atelier.booking"), ("res_id", "in", bookings.ids)]
        ).unlink()
        bookings.unlink()
        env["atelier.appointment.type"].browse(type_ids).unlink()
        env["resource.resource"].browse(cls.ids["resources"]).unlink()
        users = env["res.users"].browse(
            cls.ids["technicians"] + cls.ids["claire"] + cls.ids["portal"]
        )
        user_partners = users.partner_id
        users.unlink()
        env["resource.calendar"].browse(cls.ids["calendar"]).unlink()
        racers = env["res.partner"].search([("email", "=like", "racer%@example.com")])
        (
            partners
            | racers
            | user_partners
            | env["res.partner"].browse(cls.ids["client"])
        ).exists().unlink()

    @mute_logger("odoo.addons.atelier_booking.models.atelier_booking")
    def test_concurrent_confirmations_of_one_slot(self):
        barrier = threading.Barrier(THREADS)

        def confirm(index):
            with self.registry.cursor() as cr:
                env = self._env(cr)
                appointment_type = env["atelier.appointment.type"].browse(
                    self.ids["type"]
                )
                technician = env["res.users"].browse(self.ids["gaetan"])
                partner = env["res.partner"].create(
                    {"name": f"Racer {index}", "email": f"racer{index}@example.com"}
                )
                # each thread commits its own cursor: that is the race under test
                cr.commit()  # pylint: disable=invalid-commit
                barrier.wait(timeout=20)
                try:
                    env["atelier.booking"]._book(
                        appointment_type,
                        self.start,
                        partner=partner,
                        technician=technician,
                        hold=False,
                    )
                    cr.commit()  # pylint: disable=invalid-commit
                    return "won"
                except SlotTakenError as exc:
                    cr.rollback()
                    return "taken" if exc.next_slots else "taken-no-slots"

        # a lost race is an expected refusal: no "bad query" ERROR in the log
        with (
            self.assertNoLogs("odoo.sql_db", level="ERROR"),
            ThreadPoolExecutor(max_workers=THREADS) as executor,
        ):
            results = list(executor.map(confirm, range(THREADS), timeout=120))

        self.assertEqual(results.count("won"), 1, results)
        self.assertEqual(results.count("taken"), THREADS - 1, results)
        with self.registry.cursor() as cr:
            env = self._env(cr)
            bookings = env["atelier.booking"].search(
                [
                    ("appointment_type_id", "in", self.ids["type"]),
                    ("state", "in", ("held", "confirmed")),
                ]
            )
            self.assertEqual(len(bookings), 1)
            self.assertEqual(bookings.start, self.start)
            events = env["calendar.event"].search(
                [("res_model", "=", "atelier.booking"), ("res_id", "in", bookings.ids)]
            )
            self.assertEqual(events, bookings.event_id)
            # the losers left no event behind
            self.assertEqual(
                env["calendar.event"].search_count(
                    [("start", "=", self.start), ("name", "ilike", "bkconc")]
                ),
                1,
            )

    @mute_logger("odoo.sql_db")
    def test_two_cursors_overlapping_rows(self):
        """The constraint lives in PostgreSQL: two raw transactions inserting
        overlapping rows, the second waits for the first then fails."""
        start = paris(a_monday(), 15)
        insert = """
            INSERT INTO atelier_booking
                (appointment_type_id, partner_id, technician_id, start, stop,
                 blocked_start, blocked_stop, state, client_tz)
            VALUES (%s, %s, %s, %s, %s, %s, %s, 'held', 'UTC') RETURNING id
        """
        args = (
            self.ids["type"][0],
            self.ids["client"][0],
            self.ids["hugo"][0],
            start,
            paris(a_monday(), 16),
            start,
            paris(a_monday(), 16, 30),
        )
        first_inserted = threading.Event()
        outcome = {}

        def second():
            with self.registry.cursor() as cr2:
                first_inserted.wait(timeout=20)
                try:
                    cr2.execute(insert, args)
                    outcome["second"] = "inserted"
                except psycopg2.errors.ExclusionViolation:
                    outcome["second"] = "refused"

        with self.registry.cursor() as cr1:
            cr1.execute(insert, args)
            thread = threading.Thread(target=second)
            thread.start()
            first_inserted.set()
            # let the second transaction block on our uncommitted row
            thread.join(timeout=1)
            self.assertTrue(thread.is_alive(), "the second insert should wait")
            cr1.commit()
            thread.join(timeout=20)
        self.assertEqual(outcome.get("second"), "refused")

    # ------------------------------------------------------------------
    # the technician's calendar changes while the client fills the form
    # ------------------------------------------------------------------
    def _hold(self, start, technician_key="gaetan"):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            booking = env["atelier.booking"]._book(
                env["atelier.appointment.type"].browse(self.ids["type"]),
                start,
                partner=env["res.partner"].browse(self.ids["client"]),
                technician=env["res.users"].browse(self.ids[technician_key]),
                hold=True,
            )
            return booking.id

    def _add_busy(self, env, kind, start, technician_key="gaetan"):
        """A busy event or a leave of the technician over the hour from
        ``start``, created in ``env`` (not committed)."""
        user = env["res.users"].browse(self.ids[technician_key])
        if kind == "event":
            return env["calendar.event"].create(
                {
                    "name": f"bkconc {kind} {start}",
                    "start": start,
                    "stop": start + timedelta(hours=1),
                    "user_id": user.id,
                    "partner_ids": [Command.set(user.partner_id.ids)],
                    "show_as": "busy",
                }
            )
        resource = env["resource.resource"].search([("user_id", "=", user.id)])
        return env["resource.calendar.leaves"].create(
            {
                "name": f"bkconc {kind} {start}",
                "resource_id": resource.id,
                "calendar_id": resource.calendar_id.id,
                "date_from": start,
                "date_to": start + timedelta(hours=1),
            }
        )

    def _submit(self, booking_id, ready=None, retries=None):
        """The client's confirmation as the booking form does it, in its own
        transaction retried like Odoo retries a request: "confirmed", or
        "taken" with the next free slots."""
        retries = [] if retries is None else retries
        with self.registry.cursor() as cr:
            env = self._env(cr)
            cr.execute("SELECT 1")  # this transaction's snapshot starts here
            if ready:
                ready.set()

            # what odoo.service.model.retrying does for a request (which
            # cannot run here: it reloads the registry the test runner holds)
            for _try in range(5):
                try:
                    booking = env["atelier.booking"].browse(booking_id)
                    try:
                        booking._confirm(approved=False)
                        outcome = ("confirmed", [])
                    except SlotTakenError as exc:
                        outcome = ("taken", exc.next_slots)
                    cr.commit()  # pylint: disable=invalid-commit
                    return outcome
                except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                    cr.rollback()
                    env.invalidate_all()
                    retries.append(_try)
            raise AssertionError("still refused after 5 tries")

    def _state(self, booking_id):
        with self.registry.cursor() as cr:
            booking = self._env(cr)["atelier.booking"].browse(booking_id)
            return booking.state, bool(booking.event_id)

    @mute_logger("odoo.addons.atelier_booking.models.atelier_booking")
    def test_confirmation_refused_over_a_new_event_or_leave(self):
        """Hold, then the technician adds an event or a leave over it, then
        the client submits: refused with the next free slots."""
        tuesday = a_monday() + timedelta(days=1)
        for kind, hour in (("event", 9), ("leave", 11)):
            with self.subTest(kind):
                start = paris(tuesday, hour)
                booking_id = self._hold(start)
                with self.registry.cursor() as cr:
                    self._add_busy(self._env(cr), kind, start)
                outcome, next_slots = self._submit(booking_id)
                self.assertEqual(outcome, "taken")
                self.assertTrue(next_slots)
                self.assertNotIn(start, next_slots)
                self.assertEqual(self._state(booking_id), ("cancelled", False))

    @mute_logger("odoo.addons.atelier_booking.models.atelier_booking")
    def test_confirmation_sees_an_event_committed_while_it_runs(self):
        """The technician's transaction adds an event over the held slot and
        commits while the confirmation runs: the confirmation must not miss
        it (Odoo's REPEATABLE READ snapshot would), and the refusal logs no
        error."""
        start = paris(a_monday() + timedelta(days=1), 14)
        booking_id = self._hold(start, "hugo")
        ready = threading.Event()
        retries = []
        with (
            self.assertNoLogs("odoo.sql_db", level="ERROR"),
            # the cursor closes first: a failed check never leaves the
            # confirmation waiting on its lock
            ThreadPoolExecutor(max_workers=1) as executor,
            self.registry.cursor() as cr,
        ):
            self._add_busy(self._env(cr), "event", start, "hugo")
            cr.flush()
            # the confirmation's snapshot is taken before the event commits
            future = executor.submit(self._submit, booking_id, ready, retries)
            self.assertTrue(ready.wait(timeout=20))
            # let it reach the technician's lock, then commit the event
            time.sleep(1)
            waiting = not future.done()
            cr.commit()  # pylint: disable=invalid-commit
            outcome, next_slots = future.result(timeout=60)
        self.assertTrue(waiting, "the confirmation waits for the technician's lock")
        # it failed on the lock and was replayed, which saw the event
        self.assertEqual(retries, [0])
        self.assertEqual(outcome, "taken")
        self.assertTrue(next_slots)
        self.assertEqual(self._state(booking_id), ("cancelled", False))
