# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError

SURVEY_STATES = [
    ("none", "Not planned"),
    ("scheduled", "Scheduled"),
    ("sent", "Sent"),
    ("reminded", "Reminder sent"),
    ("answered", "Answered"),
    ("cancelled", "Cancelled"),
]
SURVEY_DELAY_DAYS = 2
SURVEY_REMINDER_DAYS = 7
# the reminder is due this long after the request
REMINDER_AFTER_REQUEST = timedelta(days=SURVEY_REMINDER_DAYS - SURVEY_DELAY_DAYS)


class AtelierSatisfactionMixin(models.AbstractModel):
    """Satisfaction follow-up of a record the client was served on: a rating
    request two days after it is closed, one reminder at seven days, never
    twice; reopening cancels what was not sent yet.

    For mail.thread models, listed FIRST in their ``_inherit``
    (``["atelier.satisfaction.mixin", "<model>"]``) so that it comes before
    mail.thread in the MRO and its ``rating_apply`` and ``write`` run.
    A model using it implements the hooks ``_atelier_survey_closing_fields``,
    ``_atelier_survey_is_closed`` and ``_atelier_survey_templates`` (and may
    refine ``_atelier_survey_wanted`` and ``_atelier_survey_partner``), and
    declares a cron calling ``_atelier_cron_send_surveys``."""

    _name = "atelier.satisfaction.mixin"
    _description = "Satisfaction follow-up"

    atelier_survey_state = fields.Selection(
        SURVEY_STATES,
        string="Satisfaction survey",
        default="none",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    atelier_survey_due = fields.Datetime(string="Survey due", readonly=True, copy=False)
    atelier_survey_reminder_due = fields.Datetime(
        string="Reminder due", compute="_compute_atelier_survey_reminder_due"
    )
    atelier_survey_sent_date = fields.Datetime(
        string="Survey sent on", readonly=True, copy=False
    )
    atelier_csat = fields.Float(
        string="Satisfaction (/5)",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Rating given by the client to the satisfaction survey.",
    )

    @api.depends("atelier_survey_due")
    def _compute_atelier_survey_reminder_due(self):
        for rec in self:
            rec.atelier_survey_reminder_due = (
                rec.atelier_survey_due
                and rec.atelier_survey_due + REMINDER_AFTER_REQUEST
            )

    # ------------------------------------------------------------------
    # Hooks
    # ------------------------------------------------------------------
    def _atelier_survey_closing_fields(self):
        """Names of the fields whose change may close or reopen a record."""
        return set()

    def _atelier_survey_is_closed(self):
        """Whether the record is closed (solved, done) and may be surveyed."""
        self.ensure_one()
        return False

    def _atelier_survey_wanted(self):
        """Whether closing this record asks its client's opinion."""
        self.ensure_one()
        return True

    def _atelier_survey_partner(self):
        self.ensure_one()
        return self.partner_id

    @api.model
    def _atelier_survey_templates(self):
        """(request, reminder) mail templates."""
        raise NotImplementedError

    # ------------------------------------------------------------------
    # Mechanism
    # ------------------------------------------------------------------
    def write(self, vals):
        if not self._atelier_survey_closing_fields() & vals.keys():
            return super().write(vals)
        was_closed = {rec.id: rec._atelier_survey_is_closed() for rec in self}
        res = super().write(vals)
        closing = self.filtered(
            lambda r: r._atelier_survey_is_closed() and not was_closed[r.id]
        )
        reopening = self.filtered(
            lambda r: was_closed[r.id] and not r._atelier_survey_is_closed()
        )
        closing._atelier_survey_schedule()
        reopening._atelier_survey_cancel()
        return res

    def _atelier_survey_schedule(self):
        now = fields.Datetime.now()
        # rows inserted in SQL may have no state: same as "none"
        to_schedule = self.filtered(
            lambda r: (
                not r.atelier_survey_sent_date
                and r.atelier_survey_state in (False, "none", "cancelled")
                and r._atelier_survey_wanted()
                and r._atelier_survey_partner().email
            )
        )
        to_schedule.sudo().write(
            {
                "atelier_survey_state": "scheduled",
                "atelier_survey_due": now + timedelta(days=SURVEY_DELAY_DAYS),
            }
        )

    def _atelier_survey_cancel(self):
        self.filtered(
            lambda r: r.atelier_survey_state in ("scheduled", "sent")
        ).sudo().write({"atelier_survey_state": "cancelled"})

    def _atelier_survey_answered_since(self, since):
        self.ensure_one()
        return bool(
            self.sudo().rating_ids.filtered(
                lambda r: r.consumed and (not since or r.write_date >= since)
            )
        )

    def _atelier_survey_send(self, template):
        self.ensure_one()
        self.rating_send_request(
            template, lang=self._atelier_survey_partner().lang, force_send=False
        )

    def _atelier_cron_progress(self, done):
        """Commit a step of work when running as a scheduled job only."""
        if self.env.context.get("ir_cron_progress_id"):
            self.env["ir.cron"]._commit_progress(done)

    @api.model
    def _atelier_cron_send_surveys(self):
        """Send the due requests, then the due reminders; returns how many
        e-mails were queued. Each sent record is committed on its own when run
        as a scheduled job, so a crash never sends one twice."""
        now = fields.Datetime.now()
        records = self.sudo()
        request_tmpl, reminder_tmpl = self._atelier_survey_templates()
        done = 0
        due = records.search(
            [
                ("atelier_survey_state", "=", "scheduled"),
                ("atelier_survey_due", "<=", now),
            ]
        )
        reopened = due.filtered(lambda r: not r._atelier_survey_is_closed())
        reopened.write({"atelier_survey_state": "cancelled"})
        for rec in due - reopened:
            rec._atelier_survey_send(request_tmpl)
            rec.write({"atelier_survey_state": "sent", "atelier_survey_sent_date": now})
            done += 1
            self._atelier_cron_progress(1)
        to_remind = records.search(
            [
                ("atelier_survey_state", "=", "sent"),
                ("atelier_survey_due", "<=", now - REMINDER_AFTER_REQUEST),
            ]
        )
        answered = to_remind.filtered(
            lambda r: r._atelier_survey_answered_since(r.atelier_survey_sent_date)
        )
        answered.write({"atelier_survey_state": "answered"})
        reopened = (to_remind - answered).filtered(
            lambda r: not r._atelier_survey_is_closed()
        )
        reopened.write({"atelier_survey_state": "cancelled"})
        for rec in to_remind - answered - reopened:
            rec._atelier_survey_send(reminder_tmpl)
            rec.atelier_survey_state = "reminded"
            done += 1
            self._atelier_cron_progress(1)
        return done

    def rating_apply(
        self,
        rate,
        token=None,
        rating=None,
        feedback=None,
        subtype_xmlid=None,
        notify_delay_send=False,
    ):
        """Callable over RPC: only by someone who may edit the record, for a
        rating of that record (the public /rate/ route calls it in sudo after
        checking the client's token)."""
        self.check_access("write")
        if rating and (rating.res_model != self._name or rating.res_id not in self.ids):
            raise AccessError(self.env._("This rating is not about this record."))
        if token:
            found = (
                self.env["rating.rating"]
                .sudo()
                .search([("access_token", "=", token)], limit=1)
            )
            if found and (
                found.res_model != self._name or found.res_id not in self.ids
            ):
                raise AccessError(self.env._("This rating is not about this record."))
        rating = super().rating_apply(
            rate,
            token=token,
            rating=rating,
            feedback=feedback,
            subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send,
        )
        records = self.sudo()
        records.write({"atelier_csat": rate})
        records.filtered(
            lambda r: r.atelier_survey_state in ("sent", "reminded")
        ).write({"atelier_survey_state": "answered"})
        return rating
