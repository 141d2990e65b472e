# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from odoo.tests import TransactionCase, tagged

from ..models.atelier_academy_timelog import HeartbeatRefused
from .common import AcademyFixtures

T0 = datetime(2026, 3, 2, 9, 0, 0)  # a Monday, 10:00 in Paris


@tagged("post_install", "-at_install")
class TestTimelog(AcademyFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_academy("tlog")
        cls.enrol(cls.learner)
        cls.lesson = cls.course1["article1"]
        cls.lesson2 = cls.course1["article2"]
        cls.Timelog = cls.env["atelier.academy.timelog"]

    def rows(self, user=None):
        user = user or self.learner
        return self.Timelog.search([("partner_id", "=", user.partner_id.id)])

    def sessions(self):
        return self.env["atelier.academy.connection"].search(
            [("partner_id", "=", self.learner.partner_id.id), ("kind", "=", "session")]
        )

    def beat(self, seconds, slide=None, user=None):
        return self.heartbeat(
            user or self.learner, slide or self.lesson, T0 + timedelta(seconds=seconds)
        )

    def test_aggregates_per_learner_lesson_and_day(self):
        first = self.beat(0)
        self.assertEqual(first["credited"], 0)  # a session starts
        for second in (30, 60, 90):
            self.assertEqual(self.beat(second)["credited"], 30)
        row = self.rows()
        self.assertEqual(len(row), 1, "one row per learner, lesson and day")
        self.assertEqual(row.seconds, 90)
        self.assertEqual(row.beats, 4)
        self.assertEqual(row.day.isoformat(), "2026-03-02")
        self.assertEqual(row.channel_id, self.course1["channel"])
        # the next day (Paris time) is a new row
        self.beat(24 * 3600)
        self.assertEqual(len(self.rows()), 2)

    def test_idle_time_is_capped(self):
        self.beat(0)
        # 100 s without a beat (the tab was throttled): capped at 60 s
        self.assertEqual(self.beat(100)["credited"], 60)
        # 10 minutes of silence: a new session, nothing credited
        self.assertEqual(self.beat(100 + 600)["credited"], 0)
        self.assertEqual(self.rows().seconds, 60)
        sessions = self.sessions()
        self.assertEqual(len(sessions), 2)
        self.assertEqual(sorted(sessions.mapped("seconds")), [0, 60])

    def test_tabs_and_lessons_merge_into_one_session(self):
        # two tabs (two lessons) beating alternately every 15 s: the wall
        # clock counts once, split between the lessons
        for index, second in enumerate(range(0, 181, 15)):
            self.beat(second, slide=self.lesson if index % 2 == 0 else self.lesson2)
        rows = self.rows()
        self.assertEqual(sum(rows.mapped("seconds")), 180)
        self.assertEqual(len(rows), 2)
        self.assertEqual(len(self.sessions()), 1)
        self.assertEqual(self.sessions().seconds, 180)
        # a beat that arrives late (older than the session's end) adds nothing
        self.assertEqual(self.beat(170)["credited"], 0)

    def test_refused_beats_write_nothing(self):
        self.beat(0)
        before = (self.rows().seconds, self.rows().beats, len(self.sessions()))
        # a lesson of a course the learner is not enrolled in
        with self.assertRaisesRegex(HeartbeatRefused, "not enrolled") as caught:
            self.beat(30, slide=self.course3["article1"])
        self.assertEqual(caught.exception.http_status, 403)
        # a locked lesson: course 2 is not open yet, and a sequential lesson
        self.pass_course(self.learner, self.course1)
        with self.assertRaisesRegex(HeartbeatRefused, "open in order"):
            self.beat(40, slide=self.course2["article2"])
        # from the future
        future = (T0 + timedelta(seconds=45, minutes=5)).timestamp() * 1000
        with self.assertRaisesRegex(HeartbeatRefused, "future") as caught:
            self.heartbeat(
                self.learner, self.lesson, T0 + timedelta(seconds=45), future
            )
        self.assertEqual(caught.exception.http_status, 400)
        with self.assertRaises(HeartbeatRefused):
            self.heartbeat(self.learner, self.lesson, T0, client_ts="yesterday")
        with self.assertRaises(HeartbeatRefused):
            self.Timelog.with_user(self.learner)._atelier_heartbeat("x", now=T0)
        self.assertEqual(
            (self.rows().seconds, self.rows().beats, len(self.sessions())), before
        )
        self.assertFalse(
            self.Timelog.search(
                [
                    (
                        "slide_id",
                        "in",
                        (self.course2["article2"] | self.course3["article1"]).ids,
                    )
                ]
            )
        )
        # a client clock slightly ahead is tolerated
        ahead = (T0 + timedelta(seconds=70)).timestamp() * 1000
        self.assertEqual(
            self.heartbeat(
                self.learner, self.lesson, T0 + timedelta(seconds=60), ahead
            )["credited"],
            60,
        )

    def test_learners_only_read_their_own_time(self):
        self.enrol(self.learner2)
        self.beat(0)
        self.beat(30)
        self.beat(0, user=self.learner2)
        self.assertEqual(
            self.Timelog.with_user(self.learner2).search([]).partner_id,
            self.learner2.partner_id,
        )

    def assertFastPathAgrees(self, users, label):
        slides = (
            self.course1["channel"] | self.course2["channel"] | self.course3["channel"]
        ).slide_ids
        for user in users:
            Timelog = self.Timelog.with_user(user)
            for slide in slides:
                facts = Timelog._atelier_heartbeat_facts(slide.id)
                reason = slide.with_user(user)._atelier_lock_reason(user.partner_id)
                self.assertEqual(
                    facts["open"], not reason, f"{label}: {user.login} on {slide.name}"
                )

    def test_sql_fast_path_agrees_with_models(self):
        """The heartbeat's one-query lock check says what the models say."""
        users = self.learner | self.learner2 | self.outsider
        self.enrol(self.learner2, path=self.path_short, package=False)
        self.assertFastPathAgrees(users, "start")
        # time needed on course 1, exam passed below the path's minimum
        self.path.line_ids[0].min_minutes = 1
        self.course1["survey"].scoring_success_min = 40
        self.complete_lessons(self.learner, self.course1)
        self.assertFastPathAgrees(users, "lessons done")
        self.take_exam(self.learner, self.course1, good_answers=1)
        self.assertFastPathAgrees(users, "exam at 50 %")
        self.take_exam(self.learner, self.course1, good_answers=2)
        self.assertFastPathAgrees(users, "exam at 100 %, no time")
        self.add_minutes(self.learner, self.lesson, 1)
        self.env["atelier.academy.enrolment"]._atelier_progress_changed(
            self.learner.partner_id
        )
        self.assertFastPathAgrees(users, "course 1 passed")
        self.course2["article1"].with_user(self.learner).action_mark_completed()
        self.assertFastPathAgrees(users, "course 2, first lesson done")
        # an Odoo prerequisite on course 3
        self.course3["channel"].prerequisite_channel_ids = self.course2["channel"]
        self.assertFastPathAgrees(users, "prerequisite")
        # the path archived: only the order of the lessons and Odoo's rules
        self.path.active = False
        self.path_short.active = False
        self.assertFastPathAgrees(users, "no path")
