# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

PERIODS = [("d14", "Day 14"), ("d60", "Day 60")]
PERIOD_DAYS = {"d14": 14, "d60": 60}


def nps_category(score):
    if score is None or score is False:
        return False
    if score >= 9:
        return "promoter"
    if score >= 7:
        return "passive"
    return "detractor"


class AtelierBetaNps(models.Model):
    """One NPS question (0-10) sent to a tester 14 or 60 days after their
    activation: once per person and period (a unique key), through Odoo's
    survey. A detractor's answer gives the beta manager an activity."""

    _name = "atelier.beta.nps"
    _description = "Beta NPS request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sent_at desc, id desc"
    _rec_name = "signup_id"

    signup_id = fields.Many2one(
        "atelier.beta.signup",
        string="Tester",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    period = fields.Selection(PERIODS, required=True, readonly=True)
    user_input_id = fields.Many2one(
        "survey.user_input",
        string="Answer",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
    )
    sent_at = fields.Datetime(readonly=True)
    answered_at = fields.Datetime(readonly=True)
    score = fields.Integer(readonly=True, aggregator="avg")
    comment = fields.Text(readonly=True)
    category = fields.Selection(
        [("promoter", "Promoter"), ("passive", "Passive"), ("detractor", "Detractor")],
        readonly=True,
        index=True,
    )
    batch_id = fields.Many2one(related="signup_id.batch_id", store=True)
    profile = fields.Selection(related="signup_id.profile", store=True)
    fuel_type = fields.Selection(related="signup_id.fuel_type", store=True)
    origin = fields.Selection(related="signup_id.origin", store=True)
    follow_up_done = fields.Boolean(readonly=True)
    survey_url = fields.Char(compute="_compute_survey_url", groups="base.group_system")

    _period_uniq = models.Constraint(
        "UNIQUE (signup_id, period)", "One NPS question per tester and period."
    )

    @api.depends("user_input_id")
    def _compute_survey_url(self):
        for request in self:
            request.survey_url = request._atelier_survey_url() if request.id else False

    def action_done_follow_up(self):
        """The manager followed a detractor up."""
        self.env["atelier.beta.signup"]._atelier_check_manager()
        self.sudo().write({"follow_up_done": True})
        self.sudo().activity_ids.action_feedback()
        return True

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------
    @api.model
    def _atelier_survey(self):
        return self.env.ref("atelier_beta.survey_beta_nps")

    @api.model
    def _atelier_cron_send(self):
        """Claim, then send, the NPS questions due today: testers activated
        at least 14 (60) days ago who have none for that period. The claim
        is one INSERT ... ON CONFLICT DO NOTHING on the unique key: a second
        run, or two at once, send nothing twice."""
        now = fields.Datetime.now()
        self.env.flush_all()
        created = []
        for period, days in PERIOD_DAYS.items():
            self.env.cr.execute(
                SQL(
                    """INSERT INTO atelier_beta_nps
                        (signup_id, period, batch_id, profile, fuel_type, origin,
                         create_uid, create_date, write_uid, write_date)
                    SELECT s.id, %(period)s, s.batch_id, s.profile, s.fuel_type,
                           s.origin, %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM atelier_beta_signup s
                     WHERE s.state = 'tester' AND s.activated_at <= %(due)s
                       AND s.partner_id IS NOT NULL
                    ON CONFLICT (signup_id, period) DO NOTHING
                    RETURNING id""",
                    period=period,
                    uid=self.env.uid,
                    now=now,
                    due=now - timedelta(days=days),
                )
            )
            created += [row[0] for row in self.env.cr.fetchall()]
        requests = self.sudo().browse(created)
        survey = self._atelier_survey().sudo()
        template = self.env.ref("atelier_beta.mail_template_nps")
        for request in requests:
            partner = request.signup_id.partner_id
            answer = survey._create_answer(partner=partner, check_attempts=False)
            request.write({"user_input_id": answer.id, "sent_at": now})
            template.send_mail(
                request.id, email_layout_xmlid="mail.mail_notification_light"
            )
        if requests:
            _logger.info("Beta: %s NPS question(s) sent", len(requests))
        return len(requests)

    def _atelier_survey_url(self):
        self.ensure_one()
        answer = self.sudo().user_input_id
        if not answer:
            return False
        return f"{self.get_base_url()}{answer.get_start_url()}"

    # ------------------------------------------------------------------
    # Answers
    # ------------------------------------------------------------------
    def _atelier_read_answer(self):
        """Score and comment from the survey answer; a detractor's answer
        opens an activity for the beta manager."""
        score_question = self.env.ref("atelier_beta.survey_beta_nps_q_score")
        comment_question = self.env.ref("atelier_beta.survey_beta_nps_q_comment")
        manager = self.env["atelier.beta.signup"]._atelier_manager_user()
        for request in self.sudo():
            lines = request.user_input_id.user_input_line_ids
            score_line = lines.filtered(
                lambda line: line.question_id == score_question and not line.skipped
            )
            comment_line = lines.filtered(
                lambda line: line.question_id == comment_question and not line.skipped
            )
            score = score_line[:1].value_scale if score_line else None
            if score is None:
                continue
            category = nps_category(score)
            request.write(
                {
                    "score": score,
                    "comment": comment_line[:1].value_text_box or False,
                    "category": category,
                    "answered_at": fields.Datetime.now(),
                }
            )
            if category == "detractor" and manager:
                request.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=fields.Date.context_today(request),
                    user_id=manager.id,
                    summary=self.env._(
                        "Detractor (%(score)s/10): follow up", score=score
                    ),
                    note=request.comment or False,
                )

    def _atelier_erase(self):
        """Erasure: the score stays (the figures), the words go."""
        requests = self.sudo()
        requests.write({"comment": False})
        answers = requests.user_input_id
        answers.user_input_line_ids.filtered(
            lambda line: line.answer_type == "text_box"
        ).write({"value_text_box": False})
        answers.write({"partner_id": False, "email": False, "nickname": False})
        requests.activity_ids.unlink()
