# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools import interview_engine

_logger = logging.getLogger(__name__)

DURATIONS = (5, 10, 15, 20, 30)
RETENTION_DAYS = 30
CAREER_AI_FEATURES = ("career_interview", "career_synthesis", "career_cv_suggest")


class AtelierCareerSession(models.Model):
    """An interview with a persona: consent, timer, transcript, synthesis.

    The synthesis judges the content of the answers only: no emotion,
    stress or confidence is inferred (AI Act, education and work)."""

    _name = "atelier.career.session"
    _description = "Interview session"
    _order = "started_at desc, id desc"

    name = fields.Char(compute="_compute_name")
    user_id = fields.Many2one(
        "res.users", "Learner", required=True, index=True, ondelete="cascade"
    )
    persona_id = fields.Many2one(
        "atelier.career.persona", required=True, ondelete="restrict"
    )
    job_id = fields.Many2one("atelier.career.job", "Job offer", ondelete="set null")
    plan_id = fields.Many2one("atelier.career.plan", readonly=True)
    subscription_id = fields.Many2one(
        "atelier.career.subscription", index="btree_not_null", readonly=True
    )
    duration_minutes = fields.Integer(required=True, default=10)
    state = fields.Selection(
        [("running", "Running"), ("paused", "Paused"), ("done", "Finished")],
        default="running",
        required=True,
    )
    consent_date = fields.Datetime(required=True, readonly=True)
    voice_opt_in = fields.Boolean("Voice answers")
    training_opt_in = fields.Boolean(
        "Training use", help="A separate opt-in; no model is trained today."
    )
    keep_synthesis = fields.Boolean(help="Keep the synthesis after the 30-day purge.")
    shared_with_manager = fields.Boolean(
        help="The team's manager may read the transcript."
    )
    started_at = fields.Datetime(
        required=True, default=fields.Datetime.now, readonly=True
    )
    paused_at = fields.Datetime(readonly=True)
    paused_seconds = fields.Integer(readonly=True)
    ended_at = fields.Datetime(readonly=True)
    end_reason = fields.Selection(
        [
            ("time", "Time is up"),
            ("learner", "Ended by the learner"),
            ("questions", "All questions asked"),
        ],
        readonly=True,
    )
    question_index = fields.Integer(readonly=True)
    followed = fields.Boolean(readonly=True)
    nudge_count = fields.Integer(readonly=True)
    message_ids = fields.One2many("atelier.career.message", "session_id")
    finding_ids = fields.One2many("atelier.career.finding", "session_id")
    score_ids = fields.One2many("atelier.career.score", "session_id")
    synthesis_state = fields.Selection(
        [("none", "None"), ("ready", "Ready")], default="none", readonly=True
    )
    synthesis_mode = fields.Selection(
        [("model", "Language model"), ("offline", "Offline rules")], readonly=True
    )
    synthesis_short = fields.Boolean(readonly=True, help="Short feedback (Starter).")
    overall_score = fields.Float(readonly=True, aggregator="avg", digits=(3, 1))
    transcript_purged = fields.Boolean(readonly=True)

    _duration_range = models.Constraint(
        "CHECK (duration_minutes BETWEEN 2 AND 60)",
        "A session lasts between 2 and 60 minutes.",
    )

    @api.depends("persona_id", "started_at")
    def _compute_name(self):
        for session in self:
            session.name = (
                f"{session.persona_id.name or ''} ({session.started_at or ''})"
            )

    # ------------------------------------------------------------------
    # Start
    # ------------------------------------------------------------------
    @api.model
    def _month_start_utc(self, user, now=None):
        """The first instant of the current month in the learner's time
        zone, as a naive UTC datetime."""
        now = now or fields.Datetime.now()
        tz = pytz.timezone(user.tz or "Europe/Paris")
        local = pytz.utc.localize(now).astimezone(tz)
        start = tz.localize(datetime.combine(local.date().replace(day=1), time.min))
        return start.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _month_count(self, user):
        return self.sudo().search_count(
            [
                ("user_id", "=", user.id),
                ("started_at", ">=", self._month_start_utc(user)),
            ]
        )

    @api.model
    def _quota_status(self, user):
        """``{"plan", "label", "used", "limit" (0: unlimited), "left"}`` for
        the screen."""
        plan, _subscription = user._atelier_career_plan()
        used = self._month_count(user)
        limit = plan.monthly_quota if plan else 0
        return {
            "plan": plan.name if plan else "",
            "label": self.env._("%(plan)s plan:", plan=plan.name) if plan else "",
            "used": used,
            "limit": limit,
            "left": max(0, limit - used) if limit else None,
        }

    @api.model
    def _start(
        self,
        persona,
        duration,
        consent,
        job=None,
        voice=False,
        training=False,
        keep=False,
    ):
        """A new session of the current user, after consent, plan and quota
        checks; the persona's first question is recorded."""
        user = self.env.user
        if user._is_public():
            raise AccessError(self.env._("Sign in to start an interview."))
        if not consent:
            raise UserError(
                self.env._("Please give your consent before the interview starts.")
            )
        try:
            duration = int(duration)
        except (TypeError, ValueError):
            duration = 0
        if duration not in DURATIONS:
            raise UserError(self.env._("Choose a duration from the list."))
        plan, subscription = user._atelier_career_plan()
        persona = persona.sudo().exists()
        if not persona or not persona.active or not persona._allowed_for(plan):
            raise UserError(self.env._("Your plan does not include this interviewer."))
        if job:
            job = job.exists()
            job.check_access("read")
        # one count at a time per learner: lock the learner's row
        self.env.cr.execute(
            SQL("SELECT id FROM res_users WHERE id = %s FOR UPDATE", user.id)
        )
        if (
            plan
            and plan.monthly_quota
            and self._month_count(user) >= plan.monthly_quota
        ):
            raise UserError(
                self.env._(
                    "You have used the %(limit)s interviews of this month included "
                    "in your %(plan)s plan. The counter starts again on the first "
                    "day of next month.",
                    limit=plan.monthly_quota,
                    plan=plan.name,
                )
            )
        session = self.sudo().create(
            {
                "user_id": user.id,
                "persona_id": persona.id,
                "job_id": job.id if job else False,
                "plan_id": plan.id if plan else False,
                "subscription_id": subscription.id if subscription else False,
                "duration_minutes": duration,
                "consent_date": fields.Datetime.now(),
                "voice_opt_in": bool(voice),
                "training_opt_in": bool(training),
                "keep_synthesis": bool(keep),
            }
        )
        self.env["atelier.career.ai"]._persona_turn(session, None)
        return session.sudo(False)

    # ------------------------------------------------------------------
    # Learner's actions (portal or RPC): ownership checked first
    # ------------------------------------------------------------------
    def _check_owner(self):
        self.ensure_one()
        if self.user_id != self.env.user:
            raise AccessError(self.env._("This interview is not yours."))

    def action_answer(self, text, by_voice=False):
        """Record the learner's answer and the persona's reply (not streamed);
        returns the reply's text."""
        self._check_owner()
        session = self.sudo()
        answer = session._record_answer(text, by_voice=by_voice)
        if session.state == "done":
            return ""
        return self.env["atelier.career.ai"]._persona_turn(session, answer)

    def action_pause(self):
        self._check_owner()
        session = self.sudo()
        if session.state == "running":
            session.write({"state": "paused", "paused_at": fields.Datetime.now()})
        return session._timer()

    def action_resume(self):
        self._check_owner()
        session = self.sudo()
        if session.state == "paused":
            paused = (fields.Datetime.now() - session.paused_at).total_seconds()
            session.write(
                {
                    "state": "running",
                    "paused_at": False,
                    "paused_seconds": session.paused_seconds + int(paused),
                }
            )
        return session._timer()

    def action_nudge(self):
        """After a silence: the persona's nudge, once per question."""
        self._check_owner()
        session = self.sudo()
        if session.state != "running" or session._time_is_up():
            return ""
        last = session.message_ids[-1:]
        if not last or last.role != "persona" or last.kind == "nudge":
            return ""
        text = session.persona_id.nudge or ""
        if text:
            session._add_message("persona", text, kind="nudge")
            session.nudge_count += 1
        return text

    def action_end(self):
        """End the session now and build its synthesis."""
        self._check_owner()
        self.sudo()._end("learner")
        return True

    def action_share_with_manager(self, shared=True):
        self._check_owner()
        self.sudo().shared_with_manager = bool(shared)
        return True

    def action_keep_synthesis(self, keep=True):
        self._check_owner()
        self.sudo().keep_synthesis = bool(keep)
        return True

    # ------------------------------------------------------------------
    # Service (sudo, after the checks above)
    # ------------------------------------------------------------------
    def _elapsed_seconds(self, now=None):
        now = now or fields.Datetime.now()
        end = self.ended_at or (self.paused_at if self.state == "paused" else now)
        return max(
            0, int((end - self.started_at).total_seconds()) - self.paused_seconds
        )

    def _remaining_seconds(self):
        return max(0, self.duration_minutes * 60 - self._elapsed_seconds())

    def _time_is_up(self):
        return self._remaining_seconds() <= 0

    def _timer(self):
        return {
            "state": self.state,
            "remaining": self._remaining_seconds(),
            "duration": self.duration_minutes * 60,
        }

    def _add_message(self, role, content, kind="answer", **values):
        return (
            self.env["atelier.career.message"]
            .sudo()
            .create(
                dict(values, session_id=self.id, role=role, content=content, kind=kind)
            )
        )

    def _record_answer(self, text, by_voice=False):
        """Store an answer (cut when too long, with a notice); ends the
        session when time is up. Returns the stored text."""
        if self.state != "running":
            if self.state == "paused":
                raise UserError(
                    self.env._("The interview is paused: resume it to answer.")
                )
            raise UserError(self.env._("This interview is over."))
        if not isinstance(text, str) or not text.strip():
            raise UserError(self.env._("Write an answer first."))
        answer, cut = interview_engine.cut_answer(text)
        self._add_message("learner", answer, truncated=cut, by_voice=bool(by_voice))
        if cut:
            self._add_message(
                "notice",
                self.env._(
                    "Your answer was cut to %(max)s characters: keep answers short and "
                    "concrete.",
                    max=interview_engine.MAX_ANSWER,
                ),
                kind="notice",
            )
        if self._time_is_up():
            self._end("time")
        return answer

    def _end(self, reason):
        for session in self.filtered(lambda s: s.state != "done"):
            if session.state == "paused":
                paused = (fields.Datetime.now() - session.paused_at).total_seconds()
                session.paused_seconds += int(paused)
            session.write(
                {
                    "state": "done",
                    "ended_at": fields.Datetime.now(),
                    "end_reason": reason,
                }
            )
            session._notify_webhooks("session.finished")
            self.env["atelier.career.ai"]._synthesis(session)
            session._notify_webhooks("synthesis.ready")

    def _learner_answers(self):
        return [m.content for m in self.message_ids if m.role == "learner"]

    def _transcript(self):
        return [{"role": m.role, "content": m.content} for m in self.message_ids]

    def _webhook_payload(self, event):
        payload = {
            "event": event,
            "session": self.id,
            "learner": self.user_id.id,
            "persona": self.persona_id.code,
            "duration_minutes": self.duration_minutes,
            "ended_at": fields.Datetime.to_string(self.ended_at)
            if self.ended_at
            else None,
            "end_reason": self.end_reason or None,
        }
        if event == "synthesis.ready":
            payload["mode"] = self.synthesis_mode
            payload["overall_score"] = self.overall_score
            payload["scores"] = [
                {"criterion": s.criterion, "score": s.score} for s in self.score_ids
            ]
        return payload

    def _notify_webhooks(self, event):
        plan = self.plan_id
        if not (plan and plan.webhooks and self.subscription_id):
            return
        self.env["atelier.career.webhook"]._enqueue(
            self.subscription_id, event, self._webhook_payload(event)
        )

    # ------------------------------------------------------------------
    # GDPR: purge after 30 days
    # ------------------------------------------------------------------
    @api.model
    def _cron_purge(self):
        """Delete the transcripts of sessions older than 30 days (and their
        synthesis unless the learner keeps it); log each purge."""
        limit = fields.Datetime.now() - timedelta(days=RETENTION_DAYS)
        sessions = self.sudo().search(
            [("transcript_purged", "=", False), ("started_at", "<=", limit)]
        )
        sessions = sessions.filtered(lambda s: (s.ended_at or s.started_at) <= limit)
        for session in sessions:
            session._purge("retention")
        cleared = self._purge_ai_logs(limit)
        if sessions or cleared:
            _logger.info(
                "Career: %s transcript(s) purged, %s AI log(s) cleared",
                len(sessions),
                cleared,
            )
        return sessions

    def _purge(self, reason):
        self.ensure_one()
        lines = len(self.message_ids)
        self.message_ids.unlink()
        if not self.keep_synthesis:
            self.finding_ids.unlink()
            self.score_ids.unlink()
            self.write({"synthesis_state": "none", "overall_score": 0})
        if self.state != "done":
            self.write(
                {
                    "state": "done",
                    "ended_at": fields.Datetime.now(),
                    "end_reason": "time",
                }
            )
        self.transcript_purged = True
        self.env["atelier.career.purge.log"].sudo().create(
            {
                "session_ref": self.id,
                "learner_id": self.user_id.id,
                "lines_deleted": lines,
                "synthesis_kept": self.keep_synthesis,
                "reason": reason,
            }
        )

    @api.model
    def _purge_ai_logs(self, limit):
        """Clear the prompts and answers of the career features' AI usage
        log older than the limit (the log keeps its counts and costs)."""
        usages = (
            self.env["atelier.ai.usage"]
            .sudo()
            .search(
                [
                    ("feature_id.code", "in", CAREER_AI_FEATURES),
                    ("create_date", "<=", limit),
                    "|",
                    ("prompt", "!=", False),
                    ("answer", "!=", False),
                ]
            )
        )
        usages.write({"prompt": False, "answer": False})
        return len(usages)

    def _render_pdf(self):
        """The transcript and synthesis as a PDF (bytes)."""
        pdf, _format = (
            self.env["ir.actions.report"]
            .with_context(lang=self.user_id.lang, force_report_rendering=True)
            .sudo()
            ._render_qweb_pdf("atelier_career.atelier_career_session_report", self.ids)
        )
        return pdf

    def _recommended_courses(self):
        """Courses for the weak criteria: ``[{"name", "url"}]``; the academy
        glue fills it."""
        return []

    # ------------------------------------------------------------------
    # Manager space
    # ------------------------------------------------------------------
    @api.model
    def _team_subscriptions(self, user):
        subscriptions = (
            self.env["atelier.career.subscription"]
            .sudo()
            .search([("manager_user_id", "=", user.id), ("holder", "=", "company")])
        )
        return subscriptions.filtered(
            lambda s: s._is_current() and s.plan_id.manager_space
        )

    @api.model
    def _team_sessions(self, user):
        """The finished sessions of the manager's teams (sudo: the caller
        shows only scores, and a transcript when the learner shares it)."""
        subscriptions = self._team_subscriptions(user)
        if not subscriptions:
            return self.sudo().browse()
        return self.sudo().search(
            [
                ("user_id", "in", subscriptions.member_ids.ids),
                ("subscription_id", "in", subscriptions.ids),
                ("state", "=", "done"),
            ]
        )

    @api.model
    def _team_report(self, user):
        """The manager space: ``{"team_allowed", "team_sessions",
        "criteria": [(criterion, average, count)], "weak": [(criterion,
        times weak)]}``."""
        if not self._team_subscriptions(user):
            return {
                "team_allowed": False,
                "team_sessions": self.browse(),
                "criteria": [],
                "weak": [],
            }
        sessions = self._team_sessions(user)
        Score = self.env["atelier.career.score"].sudo()
        domain = [("session_id", "in", sessions.ids)]
        criteria = [
            (criterion, round(average or 0, 1), count)
            for criterion, average, count in Score._read_group(
                domain, ["criterion"], ["score:avg", "__count"], order="criterion"
            )
        ]
        weak = sorted(
            (
                (criterion, count)
                for criterion, count in Score._read_group(
                    domain + [("score", "<=", 2)], ["criterion"], ["__count"]
                )
            ),
            key=lambda item: (-item[1], item[0]),
        )
        return {
            "team_allowed": True,
            "team_sessions": sessions,
            "criteria": criteria,
            "weak": weak,
        }

    @api.model
    def _team_shared_session(self, user, session_id):
        """A team member's session whose transcript the learner shared, or
        an empty recordset."""
        session = self._team_sessions(user).filtered(lambda s: s.id == session_id)
        return session if session.shared_with_manager else self.sudo().browse()
