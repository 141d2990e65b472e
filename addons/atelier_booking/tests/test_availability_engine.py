# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The availability engine is plain Python: tested without any database."""

from datetime import date, datetime, timedelta

from odoo.tests import tagged
from odoo.tests.common import BaseCase as TestCase

from ..tools import availability as engine
from ..tools.availability import Attendance, SlotRules, TechnicianAgenda

H = timedelta(hours=1)
M = timedelta(minutes=1)

WEEKDAYS_9_TO_12 = [Attendance(d, 9.0, 12.0) for d in range(5)]


def agenda(tz="Europe/Paris", attendances=None, **kw):
    return TechnicianAgenda(
        tz=tz, attendances=attendances or list(WEEKDAYS_9_TO_12), **kw
    )


def rules(**kw):
    values = {"duration": 60 * M, "step": 60 * M, "max_horizon": timedelta(days=30)}
    values.update(kw)
    return SlotRules(**values)


@tagged("post_install", "-at_install")
class TestIntervals(TestCase):
    def test_merge_joins_overlapping_and_touching(self):
        a = datetime(2027, 1, 4, 8)
        self.assertEqual(
            engine.merge([(a + H, a + 3 * H), (a, a + H), (a + 5 * H, a + 5 * H)]),
            [(a, a + 3 * H)],
        )

    def test_subtract(self):
        a = datetime(2027, 1, 4, 8)
        base = [(a, a + 8 * H)]
        removals = [(a + H, a + 2 * H), (a + 3 * H, a + 4 * H), (a + 7 * H, a + 9 * H)]
        self.assertEqual(
            engine.subtract(base, removals),
            [(a, a + H), (a + 2 * H, a + 3 * H), (a + 4 * H, a + 7 * H)],
        )
        self.assertEqual(engine.subtract(base, [(a - H, a + 9 * H)]), [])
        self.assertEqual(engine.subtract(base, []), base)

    def test_overlaps_is_half_open(self):
        a = datetime(2027, 1, 4, 8)
        busy = engine.merge([(a, a + H)])
        self.assertTrue(engine.overlaps(busy, a + 30 * M, a + 2 * H))
        self.assertFalse(engine.overlaps(busy, a + H, a + 2 * H))
        self.assertFalse(engine.overlaps(busy, a - H, a))

    def test_unknown_time_zone_refused(self):
        for bad in ("Mars/Olympus", "", None, "../../etc/passwd", "x" * 100):
            with self.assertRaises(engine.InvalidTimezone):
                engine.get_zone(bad)


@tagged("post_install", "-at_install")
class TestLabels(TestCase):
    def test_repeated_hour_gets_its_offset(self):
        zone = engine.get_zone("Europe/Paris")
        # 31 October 2027: 03:00 CEST -> 02:00 CET, 02:00-03:00 happens twice
        cest = datetime(2027, 10, 31, 0, 0)  # 02:00 local, UTC+2
        cet = datetime(2027, 10, 31, 1, 0)  # 02:00 local again, UTC+1
        self.assertEqual(engine.time_label(cest, zone), "02:00 (UTC+2)")
        self.assertEqual(engine.time_label(cet, zone), "02:00 (UTC+1)")
        # other hours, that day or another, need no offset
        self.assertEqual(engine.time_label(datetime(2027, 10, 31, 2), zone), "03:00")
        self.assertEqual(engine.time_label(datetime(2027, 10, 30, 23), zone), "01:00")
        self.assertEqual(engine.time_label(datetime(2027, 3, 28, 1), zone), "03:00")
        # offsets that are not whole hours, west of UTC
        kolkata = engine.get_zone("Asia/Kolkata")
        local = engine.utc_to_local(datetime(2027, 1, 4, 8), kolkata)
        self.assertEqual(engine.offset_label(local), "UTC+5:30")
        new_york = engine.get_zone("America/New_York")
        self.assertEqual(
            engine.time_label(datetime(2027, 11, 7, 6, 30), new_york), "01:30 (UTC-5)"
        )


@tagged("post_install", "-at_install")
class TestSlots(TestCase):
    # Monday 4 January 2027, Paris is UTC+1 in winter
    now = datetime(2027, 1, 3, 12)

    def slots(self, the_agenda, the_rules, now=None, **kw):
        return engine.compute_availability(
            {1: the_agenda}, the_rules, now or self.now, **kw
        )[1]

    def test_working_hours_in_local_time(self):
        slots = self.slots(
            agenda(), rules(), date_to=datetime(2027, 1, 4, 23)
        )  # Monday only
        self.assertEqual(
            slots,
            [
                datetime(2027, 1, 4, 8),
                datetime(2027, 1, 4, 9),
                datetime(2027, 1, 4, 10),
            ],
        )

    def test_step_smaller_than_duration(self):
        slots = self.slots(
            agenda(), rules(step=30 * M), date_to=datetime(2027, 1, 4, 23)
        )
        self.assertEqual(len(slots), 5)  # 9:00, 9:30, 10:00, 10:30, 11:00 local
        self.assertEqual(slots[-1], datetime(2027, 1, 4, 10))

    def test_busy_event_and_buffers(self):
        # busy 10:00-10:30 local (09:00-09:30 UTC); slots of Monday, UTC hours
        busy = [(datetime(2027, 1, 4, 9), datetime(2027, 1, 4, 9, 30))]
        cases = (
            # 10:00 local collides; 09:00 ends when it starts, 11:00 starts after
            ({}, [8, 10]),
            # a 30 minute buffer after makes 9:00 local collide with 10:00 busy
            ({"buffer_after": 30 * M}, [10]),
            # a buffer before only: 11:00 local needs 10:30-11:00 free
            ({"buffer_before": 30 * M}, [8, 10]),
            # with 31 minutes it collides
            ({"buffer_before": 31 * M}, [8]),
        )
        for buffers, hours in cases:
            with self.subTest(**buffers):
                slots = self.slots(
                    agenda(busy=busy),
                    rules(**buffers),
                    date_to=datetime(2027, 1, 4, 23),
                )
                self.assertEqual(slots, [datetime(2027, 1, 4, h) for h in hours])

    def test_minimum_notice(self):
        now = datetime(2027, 1, 4, 7, 30)  # 08:30 local on Monday
        slots = self.slots(
            agenda(), rules(min_notice=2 * H), now=now, date_to=datetime(2027, 1, 4, 23)
        )
        # earliest start 10:30 local; steps from 9:00 -> 11:00 local only
        self.assertEqual(slots, [datetime(2027, 1, 4, 10)])

    def test_maximum_horizon(self):
        slots = self.slots(agenda(), rules(max_horizon=timedelta(days=2)))
        self.assertTrue(slots)
        self.assertLessEqual(max(slots), self.now + timedelta(days=2))
        self.assertEqual(
            {s.date() for s in slots}, {date(2027, 1, 4), date(2027, 1, 5)}
        )
        self.assertEqual(
            self.slots(agenda(), rules(max_horizon=timedelta(hours=1))), []
        )

    def test_leaves(self):
        # Tuesday off entirely, Monday morning until 10:00 local
        leaves = [
            (datetime(2027, 1, 4, 0), datetime(2027, 1, 4, 9)),
            (datetime(2027, 1, 4, 23), datetime(2027, 1, 5, 23)),
        ]
        slots = self.slots(
            agenda(leaves=leaves), rules(), date_to=datetime(2027, 1, 6, 0)
        )
        self.assertEqual(slots, [datetime(2027, 1, 4, 9), datetime(2027, 1, 4, 10)])

    def test_existing_bookings_block_with_buffers(self):
        # an existing booking blocks 09:45-11:15 local (its buffers included)
        busy = [(datetime(2027, 1, 4, 8, 45), datetime(2027, 1, 4, 10, 15))]
        slots = self.slots(
            agenda(busy=busy), rules(step=15 * M), date_to=datetime(2027, 1, 4, 23)
        )
        self.assertEqual(slots, [])
        busy = [(datetime(2027, 1, 4, 8, 45), datetime(2027, 1, 4, 9, 45))]
        slots = self.slots(
            agenda(busy=busy), rules(step=15 * M), date_to=datetime(2027, 1, 4, 23)
        )
        self.assertEqual(slots, [datetime(2027, 1, 4, 9, 45), datetime(2027, 1, 4, 10)])

    def test_dst_spring_forward_2027(self):
        # Sunday 28 March 2027 02:00 -> 03:00 in Paris; work 7 days 09-12
        everyday = [Attendance(d, 9.0, 12.0) for d in range(7)]
        slots = self.slots(
            agenda(attendances=everyday),
            rules(max_horizon=timedelta(days=5)),
            now=datetime(2027, 3, 26, 12),
        )
        by_day = {}
        for start in slots:
            local = engine.utc_to_local(start, engine.get_zone("Europe/Paris"))
            by_day.setdefault(local.date(), []).append(local.strftime("%H:%M"))
        for day in (date(2027, 3, 27), date(2027, 3, 28), date(2027, 3, 29)):
            self.assertEqual(by_day[day], ["09:00", "10:00", "11:00"], day)
        # UTC: 08:00 the Saturday (UTC+1), 07:00 the Sunday (UTC+2)
        self.assertIn(datetime(2027, 3, 27, 8), slots)
        self.assertIn(datetime(2027, 3, 28, 7), slots)
        self.assertNotIn(datetime(2027, 3, 28, 8, 0) + timedelta(hours=3), slots)

    def test_dst_fall_back_2026(self):
        # Sunday 25 October 2026 03:00 -> 02:00 in Paris
        everyday = [Attendance(d, 9.0, 12.0) for d in range(7)]
        slots = self.slots(
            agenda(attendances=everyday),
            rules(max_horizon=timedelta(days=4)),
            now=datetime(2026, 10, 23, 12),
        )
        self.assertIn(datetime(2026, 10, 24, 7), slots)  # Saturday UTC+2
        self.assertIn(datetime(2026, 10, 25, 8), slots)  # Sunday UTC+1
        self.assertNotIn(datetime(2026, 10, 25, 7), slots)
        self.assertEqual(len(slots), 3 * 4)

    def test_night_shift_across_dst_gap(self):
        # working 01:00-04:00 local on the spring-forward night lasts 2 hours
        night = [Attendance(6, 1.0, 4.0)]
        slots = self.slots(
            agenda(attendances=night),
            rules(max_horizon=timedelta(days=3)),
            now=datetime(2027, 3, 26, 12),
        )
        self.assertEqual(slots, [datetime(2027, 3, 28, 0), datetime(2027, 3, 28, 1)])

    def test_other_time_zones(self):
        # same 09-12 attendances read in New York (UTC-5) and Tokyo (UTC+9)
        result = engine.compute_availability(
            {
                "ny": agenda(tz="America/New_York"),
                "tokyo": agenda(tz="Asia/Tokyo"),
            },
            rules(),
            datetime(2027, 1, 3, 12),
            date_to=datetime(2027, 1, 5, 0),
        )
        self.assertEqual(result["ny"][0], datetime(2027, 1, 4, 14))
        self.assertEqual(result["tokyo"][0], datetime(2027, 1, 4, 0))
        # New York changes its clocks on 14 March 2027, two weeks before Paris
        result = engine.compute_availability(
            {"ny": agenda(tz="America/New_York")},
            rules(max_horizon=timedelta(days=3)),
            datetime(2027, 3, 14, 12),
        )
        self.assertEqual(result["ny"][0], datetime(2027, 3, 15, 13))

    def test_two_week_calendar(self):
        monday = date(2027, 1, 4)
        parity = engine.week_type(monday)
        attendances = [
            Attendance(0, 9.0, 10.0, week_type=parity),
            Attendance(0, 14.0, 15.0, week_type=1 - parity),
        ]
        slots = self.slots(
            agenda(attendances=attendances, two_weeks=True),
            rules(max_horizon=timedelta(days=10)),
        )
        self.assertEqual(slots, [datetime(2027, 1, 4, 8), datetime(2027, 1, 11, 13)])

    def test_least_loaded_and_merge(self):
        self.assertEqual(engine.pick_least_loaded([3, 1, 2], {1: 4, 2: 0, 3: 0}), 2)
        self.assertIsNone(engine.pick_least_loaded([], {}))
        a = datetime(2027, 1, 4, 8)
        merged = engine.merge_slots({1: [a, a + H], 2: [a + H]})
        self.assertEqual(list(merged), [a, a + H])
        self.assertEqual(merged[a + H], [1, 2])
