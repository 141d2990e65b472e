# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta, timezone

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# the page beats every 30 s while it is visible and the learner active
DEFAULT_CAP_SECONDS = 60  # at most this much credited per heartbeat
DEFAULT_GAP_SECONDS = 120  # a longer silence ends the session
FUTURE_TOLERANCE = timedelta(seconds=30)


class HeartbeatRefused(UserError):
    """A heartbeat the server refuses; nothing is written."""

    def __init__(self, message, status=403):
        super().__init__(message)
        self.http_status = status


class AtelierAcademyTimelog(models.Model):
    """Measured time on task: one row per learner, lesson and day.

    Rows are written by ``_atelier_heartbeat`` with ``INSERT … ON CONFLICT
    DO UPDATE``; nobody writes them through the ORM.
    """

    _name = "atelier.academy.timelog"
    _description = "Measured time on a lesson"
    _order = "day desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Learner", required=True, readonly=True, index=True
    )
    slide_id = fields.Many2one(
        "slide.slide", string="Lesson", required=True, readonly=True, ondelete="cascade"
    )
    channel_id = fields.Many2one(
        "slide.channel", string="Course", required=True, readonly=True, index=True
    )
    day = fields.Date(required=True, readonly=True, index=True)
    seconds = fields.Integer(readonly=True, aggregator="sum")
    minutes = fields.Float(compute="_compute_minutes", aggregator="sum")
    beats = fields.Integer("Heartbeats", readonly=True)
    first_beat = fields.Datetime(readonly=True)
    last_beat = fields.Datetime(readonly=True)

    _partner_slide_day_uniq = models.Constraint(
        "UNIQUE (partner_id, slide_id, day)",
        "One time row per learner, lesson and day.",
    )
    _partner_channel_idx = models.Index("(partner_id, channel_id)")

    @api.depends("seconds")
    def _compute_minutes(self):
        for log in self:
            log.minutes = round(log.seconds / 60.0, 1)

    # ------------------------------------------------------------------
    # Heartbeat
    # ------------------------------------------------------------------
    @api.model
    def _atelier_heartbeat_settings(self):
        params = self.env["ir.config_parameter"].sudo()
        return (
            int(params.get_param("atelier_academy.heartbeat_cap", DEFAULT_CAP_SECONDS)),
            int(params.get_param("atelier_academy.heartbeat_gap", DEFAULT_GAP_SECONDS)),
        )

    @api.model
    def _atelier_heartbeat(
        self, slide_id, client_ts=None, ip_address="", user_agent="", now=None
    ):
        """Credit the time since the learner's previous heartbeat.

        Called by the lesson page every 30 s while it is visible and the
        learner active. The credit is the time since the previous beat of
        the same learner on any lesson (several tabs count once), capped per
        beat; after a longer silence a new session starts and the beat
        credits nothing. Refused (HeartbeatRefused, nothing written): a
        lesson the learner is not enrolled in, a closed lesson, a beat from
        the future.
        """
        now = now or fields.Datetime.now()
        if client_ts is not None:
            try:
                client_time = datetime.fromtimestamp(
                    float(client_ts) / 1000.0, tz=timezone.utc
                ).replace(tzinfo=None)
            except (TypeError, ValueError, OverflowError, OSError) as exc:
                raise HeartbeatRefused(
                    self.env._("The heartbeat has no valid time."), status=400
                ) from exc
            if client_time > now + FUTURE_TOLERANCE:
                raise HeartbeatRefused(
                    self.env._("A heartbeat from the future is refused."), status=400
                )
        user = self.env.user
        if user._is_public():
            raise HeartbeatRefused(self.env._("Sign in to record your time."), 401)
        try:
            slide_id = int(slide_id)
        except (TypeError, ValueError) as exc:
            raise HeartbeatRefused(self.env._("Unknown lesson."), status=400) from exc
        facts = self._atelier_heartbeat_facts(slide_id)
        if not facts or facts["is_category"] or not facts["live"]:
            raise HeartbeatRefused(self.env._("Unknown lesson."), status=404)
        if not facts["member"]:
            raise HeartbeatRefused(
                self.env._("You are not enrolled in the course of this lesson.")
            )
        partner = self.env["res.partner"].browse(facts["partner_id"])
        if not facts["open"]:
            # the SQL fast path says closed: the models explain why (and let
            # course staff through)
            slide = self.env["slide.slide"].browse(slide_id)
            reason = slide._atelier_lock_reason(partner)
            if reason:
                raise HeartbeatRefused(reason)
        # a beat is telemetry: its commit need not wait for the disk. A
        # PostgreSQL crash may lose the last fraction of a second of beats
        # (at most a minute of credit each), never half of one.
        self.env.cr.execute(SQL("SET LOCAL synchronous_commit TO OFF"))
        cap, gap = self._atelier_heartbeat_settings()
        tz = pytz.timezone(facts["tz"] or "Europe/Paris")
        day = pytz.utc.localize(now).astimezone(tz).date()
        credit = self.env["atelier.academy.connection"]._atelier_touch_session(
            partner, now, cap, gap, ip_address, user_agent
        )
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO atelier_academy_timelog AS t
                       (partner_id, slide_id, channel_id, day, seconds, beats,
                        first_beat, last_beat, create_uid, create_date, write_uid,
                        write_date)
                VALUES (%(partner)s, %(slide)s, %(channel)s, %(day)s, %(credit)s, 1,
                        %(now)s, %(now)s, %(uid)s, %(now)s, %(uid)s, %(now)s)
                ON CONFLICT (partner_id, slide_id, day) DO UPDATE
                   SET seconds = t.seconds + EXCLUDED.seconds,
                       beats = t.beats + 1,
                       last_beat = GREATEST(t.last_beat, EXCLUDED.last_beat),
                       write_date = EXCLUDED.write_date
                RETURNING seconds
                """,
                partner=partner.id,
                slide=slide_id,
                channel=facts["channel_id"],
                day=day,
                credit=credit,
                now=now,
                uid=user.id,
            )
        )
        seconds_today = self.env.cr.fetchone()[0]
        self.invalidate_model(["seconds", "beats", "last_beat"])
        return {"credited": credit, "lesson_seconds_today": seconds_today}

    @api.model
    def _atelier_heartbeat_facts(self, slide_id):
        """What a heartbeat needs to know, in one query.

        The lesson (live, category), the learner's membership and time zone,
        and whether the lesson is open to them: the same rules as
        ``slide.slide._atelier_lock_reasons`` (lessons in order,
        prerequisites, learning paths), evaluated by PostgreSQL. Only "open"
        is trusted: "closed" is checked again by the models, which know
        about course staff. ``test_timelog`` keeps both in step.
        """
        for model in (
            "slide.slide",
            "slide.channel",
            "slide.slide.partner",
            "slide.channel.partner",
            "survey.user_input",
            "atelier.academy.path",
            "atelier.academy.path.line",
            "atelier.academy.enrolment",
            "atelier.academy.timelog",
        ):
            self.env[model].flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH me AS (
                    SELECT u.partner_id, p.tz
                      FROM res_users u JOIN res_partner p ON p.id = u.partner_id
                     WHERE u.id = %(uid)s
                ), lesson AS (
                    SELECT s.id, s.channel_id, s.sequence, s.is_category,
                           s.active AND s.is_published AS live,
                           c.atelier_sequential, r.partner_id AS responsible
                      FROM slide_slide s
                      JOIN slide_channel c ON c.id = s.channel_id
                 LEFT JOIN res_users r ON r.id = c.user_id
                     WHERE s.id = %(slide)s
                ), path_line AS (
                    -- the lines of the active paths
                    SELECT l.id, l.path_id, l.channel_id, l.sequence, l.min_score,
                           l.min_minutes
                      FROM atelier_academy_path_line l
                      JOIN atelier_academy_path p ON p.id = l.path_id AND p.active
                ), passed AS (
                    -- the path lines this learner has passed
                    SELECT l.id
                      FROM path_line l, me
                     WHERE EXISTS (
                               SELECT 1 FROM slide_channel_partner cp
                                WHERE cp.channel_id = l.channel_id
                                  AND cp.partner_id = me.partner_id
                                  AND cp.active AND cp.member_status = 'completed')
                       AND (NOT EXISTS (
                                SELECT 1 FROM slide_slide x
                                 WHERE x.channel_id = l.channel_id
                                   AND x.slide_category = 'certification'
                                   AND x.active AND x.is_published)
                            OR COALESCE((
                                SELECT MAX(ui.scoring_percentage)
                                  FROM survey_user_input ui
                                  JOIN slide_slide x ON x.id = ui.slide_id
                                 WHERE x.channel_id = l.channel_id
                                   AND ui.partner_id = me.partner_id
                                   AND ui.state = 'done'
                                   AND ui.test_entry IS NOT TRUE), 0) >= l.min_score)
                       AND COALESCE((
                                SELECT SUM(t.seconds) FROM atelier_academy_timelog t
                                 WHERE t.partner_id = me.partner_id
                                   AND t.channel_id = l.channel_id), 0)
                           >= l.min_minutes * 60
                )
                SELECT lesson.channel_id, lesson.is_category, lesson.live,
                       me.partner_id, me.tz,
                       EXISTS (
                           SELECT 1 FROM slide_channel_partner cp
                            WHERE cp.channel_id = lesson.channel_id
                              AND cp.partner_id = me.partner_id
                              AND cp.active AND cp.member_status != 'invited'
                       ) AS member,
                       (NOT lesson.atelier_sequential OR NOT EXISTS (
                           -- lessons in order: an earlier one not completed
                           SELECT 1 FROM slide_slide prev
                            WHERE prev.channel_id = lesson.channel_id
                              AND NOT prev.is_category AND prev.active
                              AND prev.is_published
                              AND (prev.sequence, prev.id)
                                  < (lesson.sequence, lesson.id)
                              AND NOT EXISTS (
                                  SELECT 1 FROM slide_slide_partner sp
                                   WHERE sp.slide_id = prev.id
                                     AND sp.partner_id = me.partner_id
                                     AND sp.completed))
                       ) AND (
                           -- the course's responsible is never gated
                           lesson.responsible IS NOT DISTINCT FROM me.partner_id
                           OR (NOT EXISTS (
                               -- an Odoo prerequisite not finished
                               SELECT 1
                                 FROM slide_channel_prerequisite_slide_channel_rel r
                            LEFT JOIN slide_channel_partner cp
                                   ON cp.channel_id = r.prerequisite_channel_id
                                  AND cp.partner_id = me.partner_id
                                  AND cp.active AND cp.member_status = 'completed'
                                WHERE r.channel_id = lesson.channel_id
                                  AND cp.id IS NULL
                           ) AND (
                               -- in no active path
                               NOT EXISTS (
                                   SELECT 1 FROM path_line l
                                    WHERE l.channel_id = lesson.channel_id)
                               -- an enrolment passed every course before it
                               OR EXISTS (
                                   SELECT 1 FROM atelier_academy_enrolment e
                                     JOIN path_line cur
                                       ON cur.path_id = e.path_id
                                      AND cur.channel_id = lesson.channel_id
                                    WHERE e.partner_id = me.partner_id
                                      AND e.state IN ('active', 'done')
                                      AND NOT EXISTS (
                                          SELECT 1 FROM path_line pl
                                           WHERE pl.path_id = e.path_id
                                             AND (pl.sequence, pl.id)
                                                 < (cur.sequence, cur.id)
                                             AND pl.id NOT IN (SELECT id FROM passed)))
                               -- no such enrolment, and it starts a path
                               OR (NOT EXISTS (
                                   SELECT 1 FROM atelier_academy_enrolment e
                                     JOIN path_line cur
                                       ON cur.path_id = e.path_id
                                      AND cur.channel_id = lesson.channel_id
                                    WHERE e.partner_id = me.partner_id
                                      AND e.state IN ('active', 'done')
                               ) AND EXISTS (
                                   SELECT 1 FROM path_line l
                                    WHERE l.channel_id = lesson.channel_id
                                      AND NOT EXISTS (
                                          SELECT 1 FROM path_line pl
                                           WHERE pl.path_id = l.path_id
                                             AND (pl.sequence, pl.id)
                                                 < (l.sequence, l.id))))
                           ))
                       ) AS open
                  FROM lesson, me
                """,
                uid=self.env.uid,
                slide=slide_id,
            )
        )
        row = self.env.cr.dictfetchone()
        return row
