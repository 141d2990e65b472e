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
        partner = user.partner_id
        if user._is_public():
            raise HeartbeatRefused(self.env._("Sign in to record your time."), 401)
        try:
            slide_id = int(slide_id)
        except (TypeError, ValueError) as exc:
            raise HeartbeatRefused(self.env._("Unknown lesson."), status=400) from exc
        slide = self.env["slide.slide"].sudo().browse(slide_id).exists()
        if not slide or slide.is_category or not slide.active or not slide.is_published:
            raise HeartbeatRefused(self.env._("Unknown lesson."), status=404)
        self.env.cr.execute(
            SQL(
                """SELECT 1 FROM slide_channel_partner
                    WHERE partner_id = %s AND channel_id = %s AND active
                      AND member_status != 'invited'""",
                partner.id,
                slide.channel_id.id,
            )
        )
        if not self.env.cr.fetchone():
            raise HeartbeatRefused(
                self.env._("You are not enrolled in the course of this lesson.")
            )
        reason = slide.with_user(user)._atelier_lock_reason(partner)
        if reason:
            raise HeartbeatRefused(reason)
        cap, gap = self._atelier_heartbeat_settings()
        tz = pytz.timezone(partner.tz or user.tz or "Europe/Paris")
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
                slide=slide.id,
                channel=slide.channel_id.id,
                day=day,
                credit=credit,
                now=now,
                uid=user.id,
            )
        )
        seconds_today = self.env.cr.fetchone()[0]
        self.invalidate_model(["seconds", "beats", "last_beat"])
        return {"credited": credit, "lesson_seconds_today": seconds_today}
