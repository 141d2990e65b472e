# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Real concurrency: committed fixtures, one cursor per thread.

The test class holds no transaction (AtelierCommittedCase): the fixtures
are committed in their own cursor and removed afterwards.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import psycopg2.errors

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

    @mute_logger("odoo.sql_db", "odoo.addons.atelier_booking.models.atelier_booking")
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

        with ThreadPoolExecutor(max_workers=THREADS) as executor:
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
