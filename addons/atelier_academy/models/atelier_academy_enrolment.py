# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL


class AtelierAcademyEnrolment(models.Model):
    """A learner on a path, possibly through a coaching package.

    Hooks for the glue addons: ``_atelier_enrol`` (idempotent per origin,
    seat limit per origin), ``_atelier_revoke`` (access and certificates),
    ``_atelier_certificate_blockers`` (the sale glue adds an open refund)
    and ``_atelier_booking_url`` (the booking glue returns its page).
    """

    _name = "atelier.academy.enrolment"
    _description = "Academy enrolment"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Learner",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    package_id = fields.Many2one(
        "atelier.academy.package", index="btree_not_null", ondelete="restrict"
    )
    path_id = fields.Many2one(
        "atelier.academy.path", required=True, index=True, ondelete="restrict"
    )
    coach_id = fields.Many2one(
        "res.users",
        index="btree_not_null",
        tracking=True,
        domain=lambda self: [
            ("all_group_ids", "in", self.env.ref("atelier_base.group_coach").ids)
        ],
    )
    intake_id = fields.Many2one(
        "atelier.academy.intake", index="btree_not_null", tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        [("active", "In progress"), ("done", "Completed"), ("revoked", "Revoked")],
        required=True,
        default="active",
        index=True,
        tracking=True,
    )
    origin = fields.Char(
        index=True,
        readonly=True,
        help="What created the enrolment (a sale, a placement test…); a "
        "learner is enrolled once per origin.",
    )
    date_start = fields.Date(required=True, default=fields.Date.context_today)
    date_end = fields.Date(compute="_compute_date_end", store=True, readonly=False)
    hours_sold = fields.Float("Coaching hours sold")
    attendance_ids = fields.One2many("atelier.academy.attendance", "enrolment_id")
    hours_consumed = fields.Float(
        "Coaching hours used", compute="_compute_hours", store=True
    )
    hours_left = fields.Float(
        "Coaching hours left", compute="_compute_hours", store=True
    )
    revoke_reason = fields.Char(readonly=True)
    revoked_date = fields.Datetime(readonly=True)
    certificate_ids = fields.One2many("atelier.academy.certificate", "enrolment_id")
    signature_ids = fields.One2many("atelier.academy.signature", "enrolment_id")
    reminder_ids = fields.One2many("atelier.academy.reminder", "enrolment_id")
    progress = fields.Float("Path progress (%)", compute="_compute_progress")
    measured_minutes = fields.Integer(
        "Measured time (min)", compute="_compute_progress"
    )
    courses_passed = fields.Integer(compute="_compute_progress")
    progress_html = fields.Html(
        "Courses", compute="_compute_progress", sanitize=False, readonly=True
    )

    _partner_origin_uniq = models.Constraint(
        "UNIQUE (partner_id, origin)",
        "This learner is already enrolled from this origin.",
    )
    _hours_sold_positive = models.Constraint(
        "CHECK (hours_sold >= 0)", "Coaching hours sold cannot be negative."
    )

    @api.depends("partner_id", "path_id")
    def _compute_name(self):
        for enrolment in self:
            enrolment.name = " — ".join(
                part
                for part in (enrolment.partner_id.name, enrolment.path_id.name)
                if part
            )

    @api.depends("date_start", "package_id.duration_weeks")
    def _compute_date_end(self):
        for enrolment in self:
            weeks = enrolment.package_id.duration_weeks
            enrolment.date_end = (
                enrolment.date_start + timedelta(weeks=weeks)
                if enrolment.date_start and weeks
                else enrolment.date_end
            )

    @api.depends("hours_sold", "attendance_ids.hours")
    def _compute_hours(self):
        for enrolment in self:
            consumed = sum(enrolment.attendance_ids.mapped("hours"))
            enrolment.hours_consumed = consumed
            enrolment.hours_left = max(enrolment.hours_sold - consumed, 0.0)

    def _compute_progress(self):
        progress = self._atelier_path_progress()
        for enrolment in self:
            data = progress.get(enrolment.id)
            enrolment.progress = data["progress"] if data else 0.0
            enrolment.measured_minutes = data["seconds"] // 60 if data else 0
            enrolment.courses_passed = data["passed"] if data else 0
            enrolment.progress_html = self._atelier_progress_table(data)

    def _atelier_progress_table(self, data):
        if not data or not data["lines"]:
            return False
        yes, no = self.env._("passed"), self.env._("not yet")
        rows = Markup("").join(
            Markup(
                "<tr><td>%s</td><td>%s %%</td><td>%s %% / %s %%</td>"
                "<td>%s / %s min</td><td>%s</td></tr>"
            )
            % (
                line["channel"].name,
                line["completion"],
                round(line["score"]),
                round(line["line"].min_score),
                line["seconds"] // 60,
                line["line"].min_minutes,
                yes if line["passed"] else no,
            )
            for line in data["lines"]
        )
        head = Markup(
            "<thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>"
            "</thead>"
        ) % (
            self.env._("Course"),
            self.env._("Completion"),
            self.env._("Best score / needed"),
            self.env._("Measured / needed"),
            self.env._("Status"),
        )
        return Markup(
            '<table class="table table-sm o_atelier_academy_progress">%s%s</table>'
        ) % (
            head,
            rows,
        )

    # ------------------------------------------------------------------
    # Hooks for the glue addons
    # ------------------------------------------------------------------
    @api.model
    def _atelier_enrol(self, partners, package, origin, path=None, coach=None):
        """Enrol ``partners`` in ``package`` (or in ``path``) once per origin.

        Idempotent: a learner already enrolled from ``origin`` is returned
        as is (a replayed payment webhook enrols once). A package's seat
        limit counts the learners of one origin, i.e. one purchase: the 9th
        employee of a team package is refused with a UserError. Returns the
        enrolments of ``partners`` for ``origin``; their first course opens.
        """
        if not origin:
            raise UserError(self.env._("An enrolment needs an origin."))
        package = package or self.env["atelier.academy.package"]
        path = path or package.path_ids[:1]
        if not path:
            raise UserError(
                self.env._(
                    "The package “%(package)s” contains no learning path.",
                    package=package.name,
                )
            )
        if package and path not in package.path_ids:
            raise UserError(
                self.env._(
                    "The path “%(path)s” is not part of the package “%(package)s”.",
                    path=path.name,
                    package=package.name,
                )
            )
        Enrolment = self.sudo().with_context(active_test=False)
        # one purchase at a time: replayed webhooks and team invitations of
        # the same origin queue here, so the seat count cannot be raced
        self.env.cr.execute(
            SQL(
                "SELECT pg_advisory_xact_lock(hashtext(%s))",
                f"atelier_academy:{origin}",
            )
        )
        existing = Enrolment.search([("origin", "=", origin)])
        newcomers = partners - existing.partner_id
        if package.seat_limit and newcomers:
            taken = len(existing.filtered(lambda e: e.state != "revoked"))
            if taken + len(newcomers) > package.seat_limit:
                raise UserError(
                    self.env._(
                        "The package “%(package)s” has %(limit)s seats per purchase: "
                        "%(taken)s are taken, %(asked)s more learner(s) cannot be "
                        "enrolled.",
                        package=package.name,
                        limit=package.seat_limit,
                        taken=taken,
                        asked=len(newcomers),
                    )
                )
        coach = coach or package._atelier_pick_coach()
        created = Enrolment.create(
            [
                {
                    "partner_id": partner.id,
                    "package_id": package.id,
                    "path_id": path.id,
                    "coach_id": coach.id,
                    "hours_sold": package.coaching_hours,
                    "origin": origin,
                }
                for partner in newcomers
            ]
        )
        created._atelier_update_progress()
        return (existing | created).filtered(lambda e: e.partner_id in partners)

    def _atelier_revoke(self, reason):
        """Revoke access to the path's courses and the certificates."""
        to_revoke = self.sudo().filtered(lambda e: e.state != "revoked")
        if not to_revoke:
            return
        for enrolment in to_revoke:
            keep = (
                self.sudo()
                .search(
                    [
                        ("partner_id", "=", enrolment.partner_id.id),
                        ("state", "in", ("active", "done")),
                        ("id", "not in", to_revoke.ids),
                    ]
                )
                .path_id.line_ids.channel_id
            )
            channels = enrolment.path_id.line_ids.channel_id - keep
            channels._remove_membership(enrolment.partner_id.ids)
        to_revoke.write(
            {
                "state": "revoked",
                "revoke_reason": reason,
                "revoked_date": fields.Datetime.now(),
            }
        )
        to_revoke.certificate_ids._atelier_revoke(reason)
        for enrolment in to_revoke:
            enrolment.message_post(
                body=self.env._("Enrolment revoked: %(reason)s", reason=reason)
            )

    def _atelier_certificate_blockers(self):
        """Reasons (French) why the certificate cannot be issued; [] if none."""
        self.ensure_one()
        blockers = []
        if self.state == "revoked":
            blockers.append(self.env._("The enrolment is revoked."))
        progress = self._atelier_path_progress()[self.id]
        if not any(line["has_exam"] for line in progress["lines"]):
            blockers.append(self.env._("No course of this path has an exam."))
        for line in progress["lines"]:
            if not line["passed"]:
                blockers.append(
                    self.env._(
                        "“%(course)s” is not passed yet.", course=line["channel"].name
                    )
                )
        if progress["seconds"] < self.path_id.min_minutes * 60:
            blockers.append(
                self.env._(
                    "Measured time: %(done)s min of the %(needed)s min the path "
                    "requires.",
                    done=progress["seconds"] // 60,
                    needed=self.path_id.min_minutes,
                )
            )
        return blockers

    def _atelier_booking_url(self):
        """Where the learner books a coaching session (the booking glue)."""
        self.ensure_one()
        return False

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_download_audit_pack(self):
        """The audit pack (zip) of this learner, for their coach or a manager."""
        self.ensure_one()
        self.check_access("read")
        if not self.env.user.has_group("atelier_base.group_coach"):
            raise AccessError(self.env._("Only coaches download audit packs here."))
        return {
            "type": "ir.actions.act_url",
            "url": f"/academy/audit-pack/{self.id}",
            "target": "self",
        }

    def action_issue_certificate(self):
        """Issue the certificate now if nothing blocks it (coach button)."""
        self.ensure_one()
        self.check_access("write")
        blockers = self._atelier_certificate_blockers()
        if blockers:
            raise UserError("\n".join(blockers))
        self.sudo()._atelier_issue_certificate()
        return True

    # ------------------------------------------------------------------
    # Progress
    # ------------------------------------------------------------------
    def _atelier_path_progress(self):
        """Per enrolment: its path's courses with the learner's figures.

        {enrolment id: {"lines": [{"line", "channel", "member", "completion",
        "completed", "has_exam", "score", "seconds", "passed", "open"}],
        "passed": n, "progress": %, "seconds": total}} in four queries.
        """
        enrolments = self.sudo()
        channels = enrolments.path_id.line_ids.channel_id
        stats = self.env["slide.channel"]._atelier_course_stats(
            enrolments.partner_id.ids, channels.ids
        )
        # the lines of each path, ordered, with what passing them takes
        path_lines = {
            path.id: [
                (line, line.channel_id, line.min_score, line.min_minutes * 60)
                for line in path._atelier_ordered_lines()
            ]
            for path in enrolments.path_id
        }
        result = {}
        for enrolment in enrolments:
            partner_id = enrolment.partner_id.id
            lines, previous_passed, seconds = [], True, 0
            for line, channel, min_score, min_seconds in path_lines.get(
                enrolment.path_id.id, []
            ):
                stat = stats[partner_id, channel.id]
                passed = (
                    stat["completed"]
                    and stat["score"] >= min_score
                    and stat["seconds"] >= min_seconds
                )
                lines.append(
                    dict(
                        stat,
                        line=line,
                        channel=channel,
                        passed=passed,
                        open=previous_passed,
                    )
                )
                previous_passed = previous_passed and passed
                seconds += stat["seconds"]
            passed_count = sum(1 for line in lines if line["passed"])
            result[enrolment.id] = {
                "lines": lines,
                "passed": passed_count,
                "progress": round(100.0 * passed_count / len(lines), 1)
                if lines
                else 0.0,
                "seconds": seconds,
            }
        return result

    @api.model
    def _atelier_progress_changed(self, partners):
        """A learner completed something: open the next courses, certify."""
        guard = self.env.cr.cache.setdefault("atelier_academy_progress", set())
        partner_ids = set(partners.ids) - guard
        if not partner_ids:
            return
        guard.update(partner_ids)
        try:
            # pending recomputations (an exam success completes its slide)
            # run now, so that the figures below are final
            self.env.flush_all()
            self.sudo().search(
                [("partner_id", "in", list(partner_ids)), ("state", "=", "active")]
            )._atelier_update_progress()
        finally:
            guard.difference_update(partner_ids)

    def _atelier_update_progress(self):
        """Join the courses that opened; issue the certificate when due."""
        progress = self._atelier_path_progress()
        for enrolment in self.sudo().filtered(lambda e: e.state == "active"):
            data = progress[enrolment.id]
            for line in data["lines"]:
                if not line["open"]:
                    break
                channel = line["channel"].sudo()
                if not line["member"] and not channel._atelier_lock_reasons(
                    enrolment.partner_id
                ).get(channel.id):
                    # (an Odoo prerequisite may still keep it closed)
                    channel._action_add_members(enrolment.partner_id)
            if data["lines"] and data["passed"] == len(data["lines"]):
                enrolment._atelier_issue_certificate()

    def _atelier_issue_certificate(self):
        """Create the certificate (once) when nothing blocks it."""
        self.ensure_one()
        Certificate = self.env["atelier.academy.certificate"].sudo()
        existing = Certificate.search(
            [("enrolment_id", "=", self.id), ("state", "=", "valid")], limit=1
        )
        if existing or self._atelier_certificate_blockers():
            return existing
        certificate = Certificate.create({"enrolment_id": self.id})
        certificate._atelier_sign()
        self.sudo().state = "done"
        self.message_post(
            body=self.env._(
                "Certificate %(code)s issued.", code=certificate.verification_code
            )
        )
        return certificate

    # ------------------------------------------------------------------
    # Activity
    # ------------------------------------------------------------------
    def _atelier_last_activity(self):
        """{enrolment id: last learning activity (datetime) or False}, one query."""
        if not self:
            return {}
        for model in (
            "atelier.academy.connection",
            "atelier.academy.quiz.attempt",
            "atelier.academy.signature",
            "survey.user_input",
        ):
            self.env[model].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT e.id, GREATEST(
                    (SELECT MAX(c.stop) FROM atelier_academy_connection c
                      WHERE c.partner_id = e.partner_id AND c.kind = 'session'),
                    (SELECT MAX(q.create_date) FROM atelier_academy_quiz_attempt q
                      WHERE q.partner_id = e.partner_id),
                    (SELECT MAX(s.signed_at) FROM atelier_academy_signature s
                      WHERE s.partner_id = e.partner_id),
                    (SELECT MAX(u.end_datetime) FROM survey_user_input u
                      WHERE u.partner_id = e.partner_id AND u.state = 'done'),
                    e.create_date
                )
                  FROM atelier_academy_enrolment e
                 WHERE e.id = ANY(%s)
                """,
                self.ids,
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _cron_dropout_prevention(self):
        """Learners idle for N days: an activity for the coach, an e-mail.

        Both are logged as reminders (drop-out prevention evidence); one
        reminder per idle period.
        """
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("atelier_academy.dropout_days", 7)
        )
        now = fields.Datetime.now()
        limit = now - timedelta(days=days)
        enrolments = self.sudo().search([("state", "=", "active")])
        last = enrolments._atelier_last_activity()
        idle = enrolments.filtered(lambda e: last.get(e.id) and last[e.id] < limit)
        if not idle:
            return
        recent = (
            self.env["atelier.academy.reminder"]
            .sudo()
            ._read_group(
                [("enrolment_id", "in", idle.ids), ("create_date", ">=", limit)],
                ["enrolment_id"],
            )
        )
        already = {enrolment for (enrolment,) in recent}
        template = self.env.ref("atelier_academy.mail_template_dropout_reminder")
        todo = self.env.ref("mail.mail_activity_data_todo")
        Reminder = self.env["atelier.academy.reminder"].sudo()
        for enrolment in idle:
            if enrolment in already:
                continue
            activity = False
            if enrolment.coach_id:
                activity = enrolment.activity_schedule(
                    activity_type_id=todo.id,
                    user_id=enrolment.coach_id.id,
                    date_deadline=fields.Date.context_today(self),
                    summary=self.env._(
                        "Drop-out risk: no activity for %(days)s days", days=days
                    ),
                )
            mail = self.env["mail.mail"].sudo().browse(template.send_mail(enrolment.id))
            Reminder.create(
                {
                    "enrolment_id": enrolment.id,
                    "kind": "dropout",
                    "last_activity": last[enrolment.id],
                    "activity_id": activity.id if activity else False,
                    "coach_activity": bool(activity),
                    "mail_id": mail.id,
                    "subject": mail.subject,
                    "email_to": enrolment.partner_id.email,
                }
            )

    @api.model
    def _cron_issue_certificates(self):
        """Certificates that became due (e.g. measured time reached later)."""
        self.sudo().search([("state", "=", "active")])._atelier_update_progress()

    @api.model
    def _atelier_visible_domain(self):
        """Enrolments the current user coaches (all for a manager)."""
        if self.env.user.has_group("atelier_base.group_manager"):
            return Domain.TRUE
        uid = self.env.uid
        return Domain("coach_id", "=", uid) | Domain("intake_id.coach_id", "=", uid)
