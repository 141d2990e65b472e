# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

WEAK_MIN_ANSWERS = 2
WEAK_RATE = 0.4


class AtelierAcademyCockpit(models.AbstractModel):
    """The coach cockpit: set-based figures for the coach's learners.

    A handful of queries whatever the number of learners: progress on each
    path, weak competencies (quiz and exam errors per tag), sessions
    attended and due, hours left, last activity.
    """

    _name = "atelier.academy.cockpit"
    _description = "Coach cockpit"

    @api.model
    def get_cockpit_data(self):
        """Everything the cockpit shows, for the current coach (RPC entry)."""
        if not self.env.user.has_group("atelier_base.group_coach"):
            raise AccessError(self.env._("The cockpit is for coaches."))
        # record rules: a coach gets the learners they coach or whose intake
        # they lead; a manager gets every learner
        enrolments = self.env["atelier.academy.enrolment"].search(
            [("state", "in", ("active", "done"))]
        )
        return self._atelier_cockpit_values(enrolments)

    @api.model
    def _atelier_cockpit_values(self, enrolments):
        enrolments = enrolments.sudo()
        progress = enrolments._atelier_path_progress()
        last = enrolments._atelier_last_activity()
        partner_ids = enrolments.partner_id.ids
        weak_by_partner, weak_total = self._atelier_weak_competencies(partner_ids)
        sessions = self._atelier_session_counts(enrolments.ids)
        now = fields.Datetime.now()
        learners = []
        for enrolment in enrolments:
            data = progress[enrolment.id]
            last_activity = last.get(enrolment.id)
            learners.append(
                {
                    "id": enrolment.id,
                    "partner": enrolment.partner_id.name,
                    "path": enrolment.path_id.name,
                    "intake": enrolment.intake_id.name or "",
                    "coach": enrolment.coach_id.name or "",
                    "state": enrolment.state,
                    "progress": data["progress"],
                    "passed": data["passed"],
                    "total": len(data["lines"]),
                    "courses": [
                        {
                            "name": line["channel"].name,
                            "completion": line["completion"],
                            "score": round(line["score"]),
                            "passed": line["passed"],
                            "open": line["open"],
                        }
                        for line in data["lines"]
                    ],
                    "minutes": data["seconds"] // 60,
                    "hours_sold": enrolment.hours_sold,
                    "hours_left": enrolment.hours_left,
                    "attended": sessions[enrolment.id]["attended"],
                    "absent": sessions[enrolment.id]["absent"],
                    "due": sessions[enrolment.id]["due"],
                    "last_activity": fields.Datetime.to_string(last_activity)
                    if last_activity
                    else False,
                    "idle_days": (now - last_activity).days if last_activity else None,
                    "weak": weak_by_partner.get(enrolment.partner_id.id, [])[:3],
                }
            )
        return {
            "learners": learners,
            "weak": weak_total[:10],
            "sessions": self._atelier_sessions_to_mark(),
            "attendance_states": [
                [key, label]
                for key, label in self.env["atelier.academy.attendance"]
                ._fields["state"]
                ._description_selection(self.env)
                if key != "expected"
            ],
        }

    @api.model
    def _atelier_weak_competencies(self, partner_ids):
        """Error rates per competency from quiz and exam answers, one query."""
        if not partner_ids:
            return {}, []
        for model in (
            "atelier.academy.quiz.attempt.line",
            "survey.user_input.line",
            "survey.user_input",
        ):
            self.env[model].flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH answers AS (
                    SELECT l.partner_id, r.competency_id, l.correct AS ok
                      FROM atelier_academy_quiz_attempt_line l
                      JOIN atelier_academy_competency_slide_question_rel r
                        ON r.question_id = l.question_id
                     WHERE l.partner_id = ANY(%(partners)s)
                    UNION ALL
                    SELECT ui.partner_id, r.competency_id,
                           COALESCE(l.answer_is_correct, FALSE) AS ok
                      FROM survey_user_input_line l
                      JOIN survey_user_input ui ON ui.id = l.user_input_id
                      JOIN survey_survey s ON s.id = ui.survey_id
                      JOIN atelier_academy_competency_survey_question_rel r
                        ON r.question_id = l.question_id
                     WHERE ui.partner_id = ANY(%(partners)s)
                       AND ui.test_entry IS NOT TRUE
                       AND (ui.slide_id IS NOT NULL OR s.atelier_kind = 'exam')
                )
                SELECT a.partner_id, c.id, c.code, c.name,
                       COUNT(*) FILTER (WHERE NOT a.ok) AS errors, COUNT(*) AS total
                  FROM answers a
                  JOIN atelier_academy_competency c ON c.id = a.competency_id
              GROUP BY a.partner_id, c.id, c.code, c.name
                """,
                partners=list(partner_ids),
            )
        )
        per_partner = defaultdict(list)
        totals = {}
        for partner_id, comp_id, code, name, errors, total in self.env.cr.fetchall():
            rate = errors / total if total else 0.0
            if errors and total >= WEAK_MIN_ANSWERS and rate >= WEAK_RATE:
                per_partner[partner_id].append(
                    {
                        "code": code,
                        "name": name,
                        "errors": errors,
                        "total": total,
                        "rate": round(100 * rate),
                    }
                )
            agg = totals.setdefault(
                comp_id,
                {"code": code, "name": name, "errors": 0, "total": 0, "learners": 0},
            )
            agg["errors"] += errors
            agg["total"] += total
            if errors:
                agg["learners"] += 1
        for rows in per_partner.values():
            rows.sort(key=lambda row: (-row["rate"], -row["errors"], row["code"]))
        weak = [
            dict(row, rate=round(100 * row["errors"] / row["total"]))
            for row in totals.values()
            if row["errors"]
        ]
        weak.sort(key=lambda row: (-row["rate"], -row["errors"], row["code"]))
        return per_partner, weak

    @api.model
    def _atelier_session_counts(self, enrolment_ids):
        counts = defaultdict(lambda: {"attended": 0, "absent": 0, "due": 0})
        if not enrolment_ids:
            return counts
        self.env["atelier.academy.attendance"].flush_model()
        self.env["atelier.academy.session"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT a.enrolment_id,
                       COUNT(*) FILTER (WHERE a.state IN ('present', 'late')),
                       COUNT(*) FILTER (WHERE a.state = 'absent'),
                       COUNT(*) FILTER (WHERE s.state = 'planned' AND s.start > %s)
                  FROM atelier_academy_attendance a
                  JOIN atelier_academy_session s ON s.id = a.session_id
                 WHERE a.enrolment_id = ANY(%s) AND s.state != 'cancelled'
              GROUP BY a.enrolment_id
                """,
                fields.Datetime.now(),
                list(enrolment_ids),
            )
        )
        for enrolment_id, attended, absent, due in self.env.cr.fetchall():
            counts[enrolment_id] = {"attended": attended, "absent": absent, "due": due}
        return counts

    @api.model
    def _atelier_sessions_to_mark(self):
        """Recent and upcoming sessions of the coach, with their attendance."""
        now = fields.Datetime.now()
        sessions = self.env["atelier.academy.session"].search(
            [
                ("coach_id", "=", self.env.uid),
                ("state", "!=", "cancelled"),
                ("start", ">=", now - timedelta(days=14)),
                ("start", "<=", now + timedelta(days=14)),
            ],
            order="start",
            limit=20,
        )
        states = dict(
            self.env["atelier.academy.attendance"]
            ._fields["state"]
            ._description_selection(self.env)
        )
        return [
            {
                "id": session.id,
                "name": session.name,
                "start": fields.Datetime.to_string(session.start),
                "intake": session.intake_id.name or "",
                "kind": session.kind,
                "attendances": [
                    {
                        "id": attendance.id,
                        "learner": attendance.partner_id.name,
                        "state": attendance.state,
                        "state_label": states.get(attendance.state),
                    }
                    for attendance in session.attendance_ids
                ],
            }
            for session in sessions
        ]
