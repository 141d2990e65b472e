# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.atelier_helpdesk.models.helpdesk_ticket import (
    SURVEY_DELAY_DAYS,
    SURVEY_REMINDER_DAYS,
    SURVEY_STATES,
)


class AtelierBooking(models.Model):
    """Appointments done get the satisfaction follow-up of closed tickets:
    a request two days later, one reminder at seven days, never twice."""

    _inherit = "atelier.booking"

    atelier_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Ticket",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        readonly=True,
    )
    atelier_survey_state = fields.Selection(
        SURVEY_STATES,
        string="Satisfaction survey",
        # not required: atelier_booking inserts rows in SQL (concurrency
        # tests, lapsed holds); an empty state means "none"
        default="none",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    atelier_survey_due = fields.Datetime(string="Survey due", readonly=True, copy=False)
    atelier_survey_reminder_due = fields.Datetime(
        string="Reminder due", readonly=True, copy=False
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

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def write(self, vals):
        was_done = {}
        if "state" in vals:
            was_done = {booking.id: booking.state == "done" for booking in self}
        res = super().write(vals)
        if was_done:
            done_now = self.filtered(lambda b: b.state == "done" and not was_done[b.id])
            undone = self.filtered(lambda b: was_done[b.id] and b.state != "done")
            done_now._atelier_survey_schedule()
            undone._atelier_survey_cancel()
        return res

    # ------------------------------------------------------------------
    # Satisfaction follow-up
    # ------------------------------------------------------------------
    def _atelier_survey_schedule(self):
        now = fields.Datetime.now()
        public = self.env.ref("base.public_partner")
        for booking in self:
            if (
                booking.atelier_survey_sent_date
                or (booking.atelier_survey_state or "none") not in ("none", "cancelled")
                or booking.partner_id == public
                or not booking.partner_id.email
            ):
                continue
            booking.sudo().write(
                {
                    "atelier_survey_state": "scheduled",
                    "atelier_survey_due": now + timedelta(days=SURVEY_DELAY_DAYS),
                    "atelier_survey_reminder_due": now
                    + timedelta(days=SURVEY_REMINDER_DAYS),
                }
            )

    def _atelier_survey_cancel(self):
        self.filtered(
            lambda b: b.atelier_survey_state in ("scheduled", "sent")
        ).sudo().write({"atelier_survey_state": "cancelled"})

    def _atelier_survey_answered_since(self, since):
        self.ensure_one()
        return bool(
            self.sudo().rating_ids.filtered(
                lambda r: r.consumed and (not since or r.write_date >= since)
            )
        )

    def _atelier_cron_progress(self, done):
        """Commit a step of work when running as a scheduled job only."""
        if self.env.context.get("ir_cron_progress_id"):
            self.env["ir.cron"]._commit_progress(done)

    @api.model
    def _atelier_cron_send_surveys(self):
        now = fields.Datetime.now()
        Booking = self.sudo()
        request_tmpl = self.env.ref(
            "atelier_booking_helpdesk.mail_template_booking_survey"
        )
        reminder_tmpl = self.env.ref(
            "atelier_booking_helpdesk.mail_template_booking_survey_reminder"
        )
        done = 0
        for booking in Booking.search(
            [
                ("atelier_survey_state", "=", "scheduled"),
                ("atelier_survey_due", "<=", now),
            ]
        ):
            if booking.state != "done":
                booking.atelier_survey_state = "cancelled"
                continue
            booking.rating_send_request(
                request_tmpl, lang=booking.partner_id.lang, force_send=False
            )
            booking.write(
                {"atelier_survey_state": "sent", "atelier_survey_sent_date": now}
            )
            done += 1
            self._atelier_cron_progress(1)
        for booking in Booking.search(
            [
                ("atelier_survey_state", "=", "sent"),
                ("atelier_survey_reminder_due", "<=", now),
            ]
        ):
            if booking._atelier_survey_answered_since(booking.atelier_survey_sent_date):
                booking.atelier_survey_state = "answered"
                continue
            if booking.state != "done":
                booking.atelier_survey_state = "cancelled"
                continue
            booking.rating_send_request(
                reminder_tmpl, lang=booking.partner_id.lang, force_send=False
            )
            booking.atelier_survey_state = "reminded"
            done += 1
            self._atelier_cron_progress(1)
        return done

    # ------------------------------------------------------------------
    # Rating
    # ------------------------------------------------------------------
    def _rating_get_operator(self):
        if self.technician_id.partner_id:
            return self.technician_id.partner_id
        return super()._rating_get_operator()

    def rating_apply(
        self,
        rate,
        token=None,
        rating=None,
        feedback=None,
        subtype_xmlid=None,
        notify_delay_send=False,
    ):
        rating = super().rating_apply(
            rate,
            token=token,
            rating=rating,
            feedback=feedback,
            subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send,
        )
        for booking in self.sudo():
            vals = {"atelier_csat": rate}
            if booking.atelier_survey_state in ("sent", "reminded"):
                vals["atelier_survey_state"] = "answered"
            booking.write(vals)
        return rating
