# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import re
import uuid
from datetime import timedelta

import pytz
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL, format_date, html2plaintext, plaintext2html

from odoo.addons.atelier_base.tools.phone import PhoneNormalizationError

from ..tools.events import CtiEventError, is_withheld

_logger = logging.getLogger(__name__)

_EXTENSION_RE = re.compile(r"^\d{2,6}$")
RECENT_CALLS = 5
# "call back this afternoon" is offered until this hour, then "tomorrow morning"
CALL_BACK_AFTERNOON_HOUR = 13
CALL_BACK_HORIZON_DAYS = 366
OUTGOING_TIMEOUT_MINUTES = 10
PENDING_RINGING_SECONDS = 120

OUTCOMES = [
    ("resolved", "Resolved"),
    ("information", "Information given"),
    ("ticket", "Ticket opened"),
    ("appointment", "Appointment booked"),
    ("callback", "Call back later"),
    ("voicemail", "Voicemail left"),
    ("wrong_number", "Wrong number"),
    ("no_answer", "No answer"),
]

# ringing, then answered, then over (whatever the way)
STATE_RANKS = {
    "ringing": 0,
    "answered": 1,
    "missed": 2,
    "ended": 2,
    "no_answer": 2,
    "failed": 2,
}


def _next_working_day(day):
    """The next day from Monday to Friday after ``day``."""
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


class AtelierCall(models.Model):
    """One phone call, built from the events the telephony system posts."""

    _name = "atelier.call"
    _description = "Phone call"
    _inherit = ("mail.thread", "mail.activity.mixin")
    _order = "start_at desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    line_id = fields.Many2one(
        "atelier.cti.line",
        required=True,
        index=True,
        ondelete="restrict",
    )
    provider = fields.Char(required=True, readonly=True)
    provider_call_id = fields.Char(
        string="Provider call id", required=True, readonly=True
    )
    direction = fields.Selection(
        [("inbound", "Incoming"), ("outbound", "Outgoing")],
        required=True,
        default="inbound",
    )
    caller_number = fields.Char(
        string="Caller", help="E.164, or an internal extension."
    )
    callee_number = fields.Char(
        string="Callee", help="E.164, or an internal extension."
    )
    partner_number = fields.Char(
        string="Customer number",
        compute="_compute_partner_number",
        store=True,
        index="btree_not_null",
        help="The customer's side of the call: the caller of an incoming call, "
        "the callee of an outgoing one.",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Contact", index="btree_not_null", tracking=True
    )
    candidate_partner_ids = fields.Many2many(
        "res.partner",
        "atelier_call_candidate_rel",
        "call_id",
        "partner_id",
        string="Candidates",
        help="Every contact sharing the number, when there are several.",
    )
    user_id = fields.Many2one(
        "res.users", string="Answered by", index="btree_not_null", tracking=True
    )
    routed_user_ids = fields.Many2many(
        "res.users",
        "atelier_call_routed_user_rel",
        "call_id",
        "user_id",
        string="Routed to",
    )
    state = fields.Selection(
        [
            ("ringing", "Ringing"),
            ("answered", "Answered"),
            ("missed", "Missed"),
            ("ended", "Ended"),
            ("no_answer", "No answer"),
            ("failed", "Failed"),
        ],
        required=True,
        default="ringing",
        index=True,
        tracking=True,
    )
    start_at = fields.Datetime(
        string="Started", default=fields.Datetime.now, index=True
    )
    answer_at = fields.Datetime(string="Answered")
    end_at = fields.Datetime(string="Ended")
    duration = fields.Integer(
        string="Duration (s)", compute="_compute_duration", store=True, aggregator="sum"
    )
    hour = fields.Integer(
        string="Hour of day", compute="_compute_hour", store=True, aggregator=False
    )
    missed_rate = fields.Float(
        string="Missed (%)",
        compute="_compute_missed_rate",
        store=True,
        aggregator="avg",
    )
    recording_url = fields.Char(string="Recording")
    notes = fields.Html()
    outcome = fields.Selection(OUTCOMES, tracking=True)
    callback_activity_id = fields.Many2one(
        "mail.activity", string="Call-back activity", ondelete="set null", copy=False
    )
    callback_done = fields.Boolean(string="Called back", copy=False, index=True)
    callback_call_id = fields.Many2one(
        "atelier.call",
        string="Called back by",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The outgoing call calling this missed call back. The missed call "
        "counts as called back once that call is made: the PBX accepted to "
        "dial, a telephony event of it arrived, or its outcome was logged.",
    )
    callback_at = fields.Datetime(string="Called back on", copy=False)
    callback_delay = fields.Float(
        string="Time to call back (h)",
        compute="_compute_callback_delay",
        store=True,
        aggregator="avg",
    )
    event_ids = fields.One2many("atelier.call.event", "call_id", string="Events")

    _provider_call_uniq = models.Constraint(
        "UNIQUE (provider, provider_call_id)",
        "A provider's call id is stored once.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("partner_id", "partner_number", "direction")
    def _compute_name(self):
        for call in self:
            call.name = self._call_name(
                call.direction, call.partner_id, call.partner_number
            )

    @api.model
    def _call_name(self, direction, partner, number):
        """Name of a call, "← Marie Dupont" or "→ +33612345678" (also written
        by the webhook)."""
        who = partner.display_name or number or self.env._("Unknown number")
        return ("← " if direction == "inbound" else "→ ") + who

    @api.depends("direction", "caller_number", "callee_number")
    def _compute_partner_number(self):
        for call in self:
            call.partner_number = (
                call.caller_number
                if call.direction == "inbound"
                else call.callee_number
            )

    @api.depends("answer_at", "end_at")
    def _compute_duration(self):
        for call in self:
            if call.answer_at and call.end_at and call.end_at > call.answer_at:
                call.duration = int((call.end_at - call.answer_at).total_seconds())
            else:
                call.duration = 0

    @api.depends("start_at", "line_id.owner_id.tz")
    def _compute_hour(self):
        for call in self:
            call.hour = self._call_hour(call.start_at, call.line_id.owner_id.tz)

    @api.model
    def _call_hour(self, start_at, tz_name):
        """Hour of day of a UTC start in the line owner's time zone (UTC when
        unset): also written by the webhook."""
        if not start_at:
            return 0
        try:
            tz = pytz.timezone(tz_name or "UTC")
        except pytz.UnknownTimeZoneError:
            tz = pytz.utc
        return pytz.utc.localize(start_at).astimezone(tz).hour

    @api.depends("state")
    def _compute_missed_rate(self):
        for call in self:
            call.missed_rate = 100.0 if call.state == "missed" else 0.0

    @api.depends("callback_at", "end_at")
    def _compute_callback_delay(self):
        for call in self:
            if call.callback_at and call.end_at and call.callback_at > call.end_at:
                delta = call.callback_at - call.end_at
                call.callback_delay = delta.total_seconds() / 3600.0
            else:
                call.callback_delay = 0.0

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def write(self, vals):
        res = super().write(vals)
        if vals.get("outcome") and not self.env.context.get("atelier_cti_no_callback"):
            # logging the outcome of a missed call is calling it back
            self.filtered(lambda c: c.state == "missed")._atelier_mark_called_back()
            # an outgoing call whose outcome is logged was made, and is over
            outgoing = self.filtered(lambda c: c.direction == "outbound")
            outgoing._atelier_outgoing_made()
            outgoing._atelier_end_outgoing(vals["outcome"])
        return res

    # ------------------------------------------------------------------
    # Actions (buttons and RPC from the pop-up)
    # ------------------------------------------------------------------
    def action_open_partner(self):
        self.ensure_one()
        self.check_access("read")
        if not self.partner_id:
            return self.action_new_contact()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "views": [[False, "form"]],
        }

    def action_new_contact(self):
        """A contact form prefilled with the number; saving it links the call."""
        self.ensure_one()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New contact"),
            "res_model": "res.partner",
            "views": [[False, "form"]],
            "target": "new",
            "context": {
                "default_phone": self.partner_number or False,
                "atelier_cti_link_call_id": self.id,
            },
        }

    def action_call_back(self):
        """Dial the customer back from the call form."""
        self.ensure_one()
        self._atelier_check_can_dial()
        self.check_access("read")
        if not self.partner_number:
            raise UserError(self.env._("This call has no number to call back."))
        result = self.atelier_dial(
            self.partner_number, self.partner_id.id or False, call_id=self.id
        )
        return self._atelier_dial_action(result)

    def atelier_choose_partner(self, partner_id):
        """The pop-up picked one of several contacts sharing the number."""
        self.ensure_one()
        self.check_access("write")
        partner = self.env["res.partner"].browse(int(partner_id)).exists()
        if not partner:
            raise UserError(self.env._("This contact no longer exists."))
        partner.check_access("read")
        self.sudo().partner_id = partner
        return self._atelier_popup_payload()

    def atelier_log_note(self, note, partner_id=None):
        """Post ``note`` on the contact's chatter (and on the call's)."""
        self.ensure_one()
        self.check_access("write")
        note = (note or "").strip()
        if not note:
            raise UserError(self.env._("The note is empty."))
        partner = self.env["res.partner"]
        if partner_id:
            partner = partner.browse(int(partner_id)).exists()
        partner = partner or self.partner_id
        body = plaintext2html(note)
        author = self.env.user.partner_id.id
        message = False
        if partner:
            partner.check_access("read")
            if partner not in self.partner_id | self.candidate_partner_ids:
                # the caller's chatter is part of the call; any other contact's
                # only for who may write on it
                partner.check_access("write")
            message = partner.sudo().message_post(
                body=body,
                author_id=author,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        call_message = self.sudo().message_post(
            body=body,
            author_id=author,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.sudo().notes = (self.notes or "") + body
        return (message or call_message).id

    def atelier_log_outcome(self, outcome, note=None):
        """Log the outcome of the call (closes its call-back activity)."""
        self.ensure_one()
        self.check_access("write")
        if outcome not in dict(OUTCOMES):
            raise UserError(self.env._("Unknown outcome."))
        # writing the outcome of a missed call closes its call-back (write)
        self.sudo().outcome = outcome
        if note and note.strip():
            self.atelier_log_note(note)
        return self._atelier_popup_payload()

    def atelier_popup_data(self):
        """Everything the pop-up shows for one call."""
        self.ensure_one()
        self.check_access("read")
        payload = self._atelier_popup_payload()
        payload["recent_calls"] = self._atelier_recent_calls_data()
        payload["outcomes"] = self._fields["outcome"]._description_selection(self.env)
        payload["callback_choices"] = self._atelier_call_back_choices()
        return payload

    # ------------------------------------------------------------------
    # Quick actions of the pop-up: send a template, schedule a call back
    # ------------------------------------------------------------------
    @api.readonly
    def atelier_call_templates(self):
        """The e-mail templates offered in the pop-up, and whether the caller
        can get one: ``{"templates": [{"id", "name"}], "email", "reason"}``
        (``reason``: why not, else False)."""
        self.ensure_one()
        self.check_access("read")
        partner = self.partner_id
        if partner:
            partner.check_access("read")
        return {
            "templates": [
                {"id": t.id, "name": t.name} for t in self._atelier_call_templates()
            ],
            "email": partner.email or False,
            "reason": self._atelier_email_refusal(),
        }

    def atelier_call_template_preview(self, template_id):
        """The template rendered for the caller, signed by the current user:
        ``{"subject", "body_html", "body_text", "email"}``."""
        self.ensure_one()
        template = self._atelier_check_call_template(template_id)
        return self._atelier_render_call_template(template)

    def atelier_call_template_send(self, template_id):
        """Send the template to the caller: an e-mail posted on the contact's
        chatter, by the current user, sent through the outgoing mail server.
        Returns the pop-up's summary with ``message_id`` and ``email``."""
        self.ensure_one()
        template = self._atelier_check_call_template(template_id)
        rendered = self._atelier_render_call_template(template)
        partner = self.partner_id
        message = partner.sudo().message_post(
            body=Markup(rendered["body_html"]),
            subject=rendered["subject"],
            author_id=self.env.user.partner_id.id,
            email_from=self.env.user.email_formatted or False,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=partner.ids,
            email_layout_xmlid="mail.mail_notification_light",
        )
        self.sudo().message_post(
            body=self.env._(
                "E-mail sent to %(email)s: %(subject)s",
                email=partner.email,
                subject=rendered["subject"],
            ),
            subtype_xmlid="mail.mt_note",
        )
        return dict(
            self._atelier_popup_payload(),
            message_id=message.id,
            email=partner.email,
            subject=rendered["subject"],
        )

    def atelier_schedule_call_back(self, when, day=False):
        """A "call" activity for the current user, to call the number back:
        ``when`` is "hour" (in an hour), "afternoon" (this afternoon),
        "morning" (the next working day's morning) or "day" (``day``,
        YYYY-MM-DD). On the contact, on the call when the number is unknown.
        It is the call's next step: a missed call's call-back, the outcome
        "Call back later" of an answered one. Returns the pop-up's summary
        with ``callback`` (``{"activity_id", "label", "outcome_set"}``)."""
        self.ensure_one()
        self.check_access("write")
        if self.partner_id:
            self.partner_id.check_access("read")
        if not self.partner_number:
            raise UserError(self.env._("This call has no number to call back."))
        deadline, label, at = self._atelier_call_back_when(when, day)
        number = self.partner_number
        summary = (
            self.env._("Call back %(number)s at %(time)s", number=number, time=at)
            if at
            else self.env._("Call back %(number)s", number=number)
        )
        note = plaintext2html(
            self.env._(
                "Call back %(number)s (%(when)s), after the call of %(date)s.",
                number=number,
                when=label,
                date=self._atelier_local_string(self.start_at),
            )
        )
        activity = self._atelier_callback_activity(
            self.env.user, deadline, summary, note
        )
        outcome_set = False
        call = self.sudo().with_context(atelier_cti_no_callback=True)
        if self.state == "missed":
            if not self.callback_activity_id.active:
                call.callback_activity_id = activity
        elif self.state != "ringing" and not self.outcome:
            call.outcome = "callback"
            outcome_set = True
        return dict(
            self._atelier_popup_payload(),
            callback={
                "activity_id": activity.id,
                "label": label,
                "outcome_set": outcome_set,
            },
        )

    def atelier_undo_call_back(self, activity_id, reset_outcome=False):
        """Undo a call-back just scheduled from the pop-up: its activity goes
        (only the current user's call activity on this call or its contact),
        and the outcome "Call back later" it set."""
        self.ensure_one()
        self.check_access("write")
        activity = self.env["mail.activity"].sudo().browse(int(activity_id)).exists()
        target = self.partner_id or self
        if (
            not activity
            or activity.user_id != self.env.user
            or activity.res_model != target._name
            or activity.res_id != target.id
            or activity.activity_type_id
            != self.env.ref("mail.mail_activity_data_call", raise_if_not_found=False)
        ):
            raise UserError(self.env._("This call-back can no longer be undone."))
        activity.unlink()
        if reset_outcome and self.outcome == "callback":
            self.sudo().with_context(atelier_cti_no_callback=True).outcome = False
        return self._atelier_popup_payload()

    @api.model
    def _atelier_call_templates(self):
        return (
            self.env["mail.template"]
            .sudo()
            .search(
                [("model", "=", "res.partner"), ("atelier_call_popup", "=", True)],
                order="name, id",
            )
            .sudo(False)
        )

    def _atelier_email_refusal(self):
        """Why the caller cannot get an e-mail, or False."""
        self.ensure_one()
        call = self.sudo()
        partner = call.partner_id
        if not partner and call.candidate_partner_ids:
            return self.env._(
                "Several contacts share this number: pick the caller to e-mail them."
            )
        if not partner:
            return self.env._("Unknown caller: create the contact to e-mail them.")
        if not partner.email:
            return self.env._(
                "%(name)s has no e-mail address.", name=partner.display_name
            )
        return False

    def _atelier_check_call_template(self, template_id):
        """The rights (the call and its contact), the caller's address and the
        template, in this order; the template for the pop-up, else a
        UserError."""
        self.check_access("read")
        if self.partner_id:
            self.partner_id.check_access("read")
        reason = self._atelier_email_refusal()
        if reason:
            raise UserError(reason)
        try:
            template_id = int(template_id)
        except (TypeError, ValueError):
            template_id = 0
        template = self._atelier_call_templates().filtered(
            lambda t: t.id == template_id
        )
        if not template:
            raise UserError(self.env._("This template cannot be sent from a call."))
        return template

    def _atelier_render_call_template(self, template):
        """The template rendered for the caller, in their language, as the
        current user (who signs it)."""
        partner = self.partner_id
        rendered = template._generate_template(partner.ids, ["subject", "body_html"])[
            partner.id
        ]
        body = rendered.get("body_html") or ""
        return {
            "subject": rendered.get("subject") or "",
            "body_html": body,
            "body_text": html2plaintext(body),
            "email": partner.email,
        }

    def _atelier_user_tz(self):
        try:
            return pytz.timezone(self.env.user.tz or "Europe/Paris")
        except pytz.UnknownTimeZoneError:
            return pytz.timezone("Europe/Paris")

    def _atelier_local_string(self, value):
        if not value:
            return ""
        local = pytz.utc.localize(value).astimezone(self._atelier_user_tz())
        return local.strftime("%d/%m/%Y %H:%M")

    @api.model
    def _atelier_call_back_choices(self):
        """The quick choices of when to call back, in the user's time zone:
        ``[{"key", "label"}]``: in an hour, then this afternoon (before 13:00)
        or the next working day's morning."""
        tz = self._atelier_user_tz()
        now = pytz.utc.localize(fields.Datetime.now()).astimezone(tz)
        choices = [
            {
                "key": "hour",
                "label": self.env._(
                    "In 1 hour (%(time)s)",
                    time=(now + timedelta(hours=1)).strftime("%H:%M"),
                ),
            }
        ]
        if now.hour < CALL_BACK_AFTERNOON_HOUR:
            choices.append({"key": "afternoon", "label": self.env._("This afternoon")})
        else:
            choices.append(
                {"key": "morning", "label": self._atelier_morning_label(now.date())}
            )
        return choices

    def _atelier_morning_label(self, today):
        morning = _next_working_day(today)
        if morning == today + timedelta(days=1):
            return self.env._("Tomorrow morning")
        return self.env._(
            "%(day)s morning",
            day=format_date(self.env, morning, date_format="EEEE d MMMM"),
        )

    def _atelier_call_back_when(self, when, day):
        """``(deadline, label, time or False)`` of a call-back choice."""
        tz = self._atelier_user_tz()
        now = pytz.utc.localize(fields.Datetime.now()).astimezone(tz)
        today = now.date()
        if when == "hour":
            later = now + timedelta(hours=1)
            time = later.strftime("%H:%M")
            return (
                later.date(),
                self.env._("in 1 hour, at %(time)s", time=time),
                time,
            )
        if when == "afternoon":
            return today, self.env._("this afternoon"), False
        if when == "morning":
            morning = _next_working_day(today)
            return morning, self._atelier_morning_label(today).lower(), False
        if when == "day":
            try:
                chosen = fields.Date.to_date(day)
            except (TypeError, ValueError):
                chosen = None
            if not chosen:
                raise UserError(self.env._("Pick the day to call back."))
            if chosen < today:
                raise UserError(self.env._("This day is already past."))
            if chosen > today + timedelta(days=CALL_BACK_HORIZON_DAYS):
                raise UserError(
                    self.env._(
                        "A call back is planned at most %(days)s days ahead.",
                        days=CALL_BACK_HORIZON_DAYS,
                    )
                )
            return (
                chosen,
                format_date(self.env, chosen, date_format="EEEE d MMMM"),
                False,
            )
        raise UserError(self.env._("Unknown call-back choice."))

    @api.model
    def atelier_pending_calls(self):
        """Calls still ringing for the current user (a tab opened mid-call)."""
        if not self.has_access("read"):
            return []
        limit = fields.Datetime.now() - timedelta(seconds=PENDING_RINGING_SECONDS)
        calls = self.search(
            [
                ("state", "=", "ringing"),
                ("direction", "=", "inbound"),
                ("routed_user_ids", "in", self.env.uid),
                ("start_at", ">=", limit),
            ],
            # oldest first: the pop-ups stack them in order, the newest on top
            order="start_at, id",
            limit=10,
        )
        return [call._atelier_popup_payload() for call in calls]

    @api.model
    def atelier_dial(self, number, partner_id=False, call_id=False):
        """Click-to-dial: log an outgoing call and let the PBX or the browser dial.

        Internal users with the Assistant, Technician or Manager role only. An
        assistant (or a manager) may dial any number typed; a technician only
        the number of a contact (``partner_id``) or of a call (``call_id``) he
        can read. Everything is checked before anything runs as superuser:
        a dial costs money (a PBX dials what it is told) and closes
        call-backs.

        The missed calls of the number (those the user can read) are linked
        to the new call; they count as called back once the call is actually
        made: the PBX accepted to dial, a telephony event of the call
        arrives, or its outcome is logged.

        Returns ``{"call_id", "status": "originated"|"tel"|"error", "url",
        "number", "message", "call"}`` (``call``: the pop-up's summary).
        """
        self._atelier_check_can_dial()
        Partner = self.env["res.partner"]
        try:
            e164 = Partner._atelier_normalize_phone(number or "").e164
        except PhoneNormalizationError:
            raise UserError(
                self.env._("%(number)s is not a phone number.", number=number or "")
            ) from None
        partner = Partner.browse(int(partner_id)).exists() if partner_id else Partner
        if partner:
            partner.check_access("read")
        origin = self.browse(int(call_id)).exists() if call_id else self.browse()
        if origin:
            origin.check_access("read")
        if not self.env.user.has_group("atelier_base.group_assistant"):
            # a technician calls the people of his records, nothing else
            known = set(partner.atelier_phone_index_ids.mapped("e164"))
            known.update(origin.mapped("partner_number"))
            if e164 not in known:
                raise AccessError(
                    self.env._(
                        "You can only call the numbers of the contacts and calls "
                        "you can see."
                    )
                )
        if not partner:
            partner = origin.partner_id or Partner._atelier_find_by_phone(e164)
            partner = partner if len(partner) == 1 else Partner
        # the missed calls this one calls back, among those the user sees
        missed = self.search(
            [
                ("partner_number", "=", e164),
                ("state", "=", "missed"),
                ("callback_done", "=", False),
            ]
        )
        line = self._atelier_dial_line()
        if not line:
            raise UserError(self.env._("No telephony line is configured."))
        own = line._get_number_list()
        call = (
            self.sudo()
            .with_context(mail_create_nolog=True)
            .create(
                {
                    "line_id": line.id,
                    "provider": line.provider,
                    "provider_call_id": "odoo-" + uuid.uuid4().hex,
                    "direction": "outbound",
                    "caller_number": own[0] if own else False,
                    "callee_number": e164,
                    "partner_id": partner.id,
                    "user_id": self.env.uid,
                    "routed_user_ids": [Command.link(self.env.uid)],
                    "state": "ringing",
                }
            )
        )
        missed.sudo().with_context(atelier_cti_no_callback=True).write(
            {"callback_call_id": call.id}
        )
        result = {"call_id": call.id, "url": f"tel:{e164}", "number": e164}
        if line.has_originate:
            error = line._originate(call, own[0] if own else "", e164)
            if error:
                call.sudo().write({"state": "failed", "end_at": fields.Datetime.now()})
                call.sudo().message_post(body=error)
                result.update(status="error", message=error)
            else:
                # the PBX took it: the call is being made
                call._atelier_outgoing_made()
                result.update(
                    status="originated",
                    message=self.env._("The PBX is calling %(number)s.", number=e164),
                )
        else:
            result.update(status="tel", message=False)
        result["call"] = call._atelier_popup_payload()
        return result

    # ------------------------------------------------------------------
    # Event processing (called by the controller, as superuser)
    # ------------------------------------------------------------------
    @api.model
    def _cti_process_event(self, line, data, check_rate=False):
        """Apply one validated event idempotently; return the JSON answer.

        Everything that can refuse the event (the rate limit) is decided
        before anything is written: a refused event leaves no row. Its
        numbers never refuse it: one libphonenumber cannot read is logged as
        sent, and pops up as an unknown caller.
        The event id is then claimed with an ``INSERT … ON CONFLICT DO
        NOTHING`` on the unique key (line, event id), the rate limit folded
        in: no row back means a redelivery (its stored answer is returned) or
        an event over the rate (429). A concurrent delivery of the same event
        that commits first makes PostgreSQL refuse ours (serialization
        failure): Odoo rolls the request back and replays it, and the replay
        answers the stored result.

        This is the hot path of the webhook: a new call is inserted once with
        its contact, routing and computed columns, nothing is tracked in the
        chatter, and the bus message carries only the call's summary (the
        pop-up fetches the customer card itself).

        ``check_rate``: refuse a new event (429) over the line's rate limit; a
        redelivered one is still answered.
        """
        Event = self.env["atelier.call.event"].sudo()
        caller = self._cti_number(data["from"])
        callee = self._cti_number(data["to"])
        event_id = Event._cti_claim(line, data, line.rate_limit if check_rate else 0)
        if not event_id:
            stored = Event._cti_stored_answer(line, data["event_id"])
            if stored is not None:
                return stored
            raise CtiEventError(
                429, f"Rate limit of {line.rate_limit} events per minute exceeded."
            )
        Call = self.sudo().with_context(tracking_disable=True)
        call, partners, users = Call._cti_upsert(line, data, caller, callee)
        if partners is None or data["event"] != "ringing":
            # a known call, or a new one whose first event seen is not the ring
            call._cti_apply(line, data)
            partners = call.partner_id | call.candidate_partner_ids
            users = None
        answer = {"call_id": call.id, "partner_ids": partners.ids}
        Event._cti_store_answer(event_id, call.id, answer)
        call._cti_notify(data["event"], users)
        return answer

    @api.model
    def _cti_number(self, raw):
        """``(number to store, E.164 or None)`` of an event number.

        A phone number is stored in E.164; an internal extension, or a
        number libphonenumber cannot read (short codes, SIP URIs, ranges it
        does not know), is stored as sent, and looked up nowhere; a withheld
        one is ``(False, None)``. Never a refusal: every call is logged.
        """
        if is_withheld(raw):
            return False, None
        if _EXTENSION_RE.match(raw):
            return raw, None
        try:
            e164 = self.env["res.partner"]._atelier_normalize_phone(raw).e164
        except PhoneNormalizationError:
            return raw, None
        return e164, e164

    @api.model
    def _cti_upsert(self, line, data, caller, callee):
        """The call of this event, created at the first event seen.

        Returns ``(call, partners, users)``: for a call created here, the
        contacts owning the number and the users it is routed to; for a known
        call, ``(call, None, None)``. ``caller`` and ``callee`` are the
        ``(number, E.164 or None)`` pairs of :meth:`_cti_number`.

        A new call is one ``INSERT … ON CONFLICT DO NOTHING`` on the unique
        (provider, call id) holding every column, its stored computes
        included (same helpers as the computes), and one insert of its
        routing: two events of one call arriving together do not both create
        it, and no ORM write follows.
        """
        if data["event"] != "ringing":
            # usually not the first event of its call: look it up first
            call = self._cti_existing_call(line, data["call_id"])
            if call:
                return call, None, None
        (caller, caller_e164), (callee, callee_e164) = caller, callee
        own = set(line._get_number_list())
        outbound = bool(caller) and (caller in own or _EXTENSION_RE.match(caller))
        direction = "outbound" if outbound and callee not in own else "inbound"
        customer, customer_e164 = (
            (caller, caller_e164) if direction == "inbound" else (callee, callee_e164)
        )
        partners = self.env["res.partner"].sudo()
        if customer_e164:
            partners = partners._atelier_find_by_phone(customer_e164)
        partner = partners if len(partners) == 1 else partners.browse()
        start_at = fields.Datetime.to_datetime(data["at"])
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                INSERT INTO atelier_call (line_id, provider, provider_call_id,
                    direction, state, start_at, caller_number, callee_number,
                    partner_number, partner_id, name, hour, duration,
                    missed_rate, callback_delay, callback_done, recording_url,
                    create_uid, write_uid, create_date, write_date)
                VALUES (%s, %s, %s, %s, 'ringing', %s, %s, %s, %s, %s, %s, %s,
                    0, 0, 0, false, %s, %s, %s, now() at time zone 'UTC',
                    now() at time zone 'UTC')
                ON CONFLICT (provider, provider_call_id) DO NOTHING RETURNING id
                """,
                line.id,
                line.provider,
                data["call_id"],
                direction,
                start_at,
                caller or None,
                callee,
                customer or None,
                partner.id or None,
                self._call_name(direction, partner, customer),
                self._call_hour(start_at, line._cti_owner_tz()),
                data.get("recording_url") or None,
                self.env.uid,
                self.env.uid,
            ),
            log_exceptions=False,
        )
        row = cr.fetchone()
        if not row:
            # a known call (its ring came late), or created meanwhile by a
            # concurrent request (then PostgreSQL refused ours, see above)
            return self._cti_existing_call(line, data["call_id"]), None, None
        call_id = row[0]
        users = line._get_routed_users()
        cr.execute(
            SQL(
                "INSERT INTO atelier_call_routed_user_rel (call_id, user_id) "
                "SELECT %s, unnest(%s::int[])",
                call_id,
                users.ids,
            )
        )
        if len(partners) > 1:
            cr.execute(
                SQL(
                    "INSERT INTO atelier_call_candidate_rel (call_id, partner_id) "
                    "SELECT %s, unnest(%s::int[])",
                    call_id,
                    partners.ids,
                )
            )
        return self.browse(call_id), partners, users

    @api.model
    def _cti_existing_call(self, line, provider_call_id):
        self.env.cr.execute(
            SQL(
                "SELECT id FROM atelier_call "
                "WHERE provider = %s AND provider_call_id = %s",
                line.provider,
                provider_call_id,
            )
        )
        row = self.env.cr.fetchone()
        return self.browse(row[0] if row else ())

    def _cti_apply(self, line, data):
        """Fold one event into the call; the order of arrival does not matter."""
        self.ensure_one()
        at = data["at"]
        event = data["event"]
        vals = {}
        if not self.start_at or at < self.start_at:
            vals["start_at"] = at
        if event == "answered":
            if not self.answer_at or at < self.answer_at:
                vals["answer_at"] = at
            agent = self._cti_find_agent(data.get("agent"))
            if agent:
                vals["user_id"] = agent.id
        elif event in ("hangup", "missed"):
            if not self.end_at or at > self.end_at:
                vals["end_at"] = at
        if data.get("recording_url"):
            vals["recording_url"] = data["recording_url"]
        answer_at = vals.get("answer_at", self.answer_at)
        end_at = vals.get("end_at", self.end_at)
        outbound = self.direction == "outbound"
        if end_at:
            state = "ended" if answer_at else ("no_answer" if outbound else "missed")
        else:
            state = "answered" if answer_at else "ringing"
        old_state = self.state
        vals["state"] = state
        self.write(vals)
        if outbound:
            # the telephony system reports it: the call was made
            self._atelier_outgoing_made()
        if state == "missed" and old_state != "missed":
            self._atelier_schedule_callback()
        elif old_state == "missed" and state != "missed":
            # the "answered" event came after the hang-up: not missed after all
            self._atelier_cancel_callback()

    @api.model
    def _cti_find_agent(self, agent):
        if not agent:
            return self.env["res.users"]
        Users = self.env["res.users"].sudo()
        domain = Domain("share", "=", False) & (
            Domain("login", "=", agent) | Domain("atelier_cti_extension", "=", agent)
        )
        return Users.search(domain, limit=1)

    def _cti_notify(self, event, users=None):
        """Bus message to the users of the call (sent after commit).

        ``users``: its routed users when the caller already has them.
        """
        self.ensure_one()
        if self.direction != "inbound":
            # an outgoing call's news go to whom dialed it
            users = self.env["res.users"]
        elif users is None:
            users = self.routed_user_ids
        payload = dict(self._atelier_popup_payload(), event=event)
        self.env["bus.bus"]._atelier_reuse_notify_connection()
        (users | self.user_id)._bus_send("atelier_cti/call", payload)

    # ------------------------------------------------------------------
    # Call-back activities
    # ------------------------------------------------------------------
    def _atelier_schedule_callback(self):
        for call in self:
            if call.callback_done or call.callback_activity_id:
                continue
            owner = call.line_id.owner_id or self.env.ref("base.user_admin")
            # due today and worded for the owner, not for the webhook's env
            own = call.with_context(
                tz=owner.tz or call.env.context.get("tz"),
                lang=owner.lang or call.env.lang,
            )
            call.callback_activity_id = call._atelier_callback_activity(
                owner,
                fields.Date.context_today(own),
                own.env._("Call back %(number)s", number=call.partner_number or "?"),
                own.env._("Missed call on line %(line)s.", line=call.line_id.name),
            )

    def _atelier_callback_activity(self, owner, deadline, summary, note):
        """A "call" activity for ``owner`` on the caller (on the call when
        the number is unknown), as superuser: the caller checks the rights."""
        self.ensure_one()
        target = self.partner_id or self
        # the assignee follows the record, as for any activity; done here
        # so that concurrent call-backs on one contact cannot collide
        self._atelier_add_follower(target, owner.partner_id)
        return target.sudo().activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=deadline,
            user_id=owner.id,
            summary=summary,
            note=note,
        )

    @api.model
    def _atelier_add_follower(self, record, partner):
        """Make ``partner`` follow ``record`` (default subtypes), whoever else
        is adding it at the same time.

        ``mail.activity`` subscribes the assignee with a search, then an
        INSERT: two transactions scheduling a call-back on one contact both
        insert the follower, and the second one fails on the unique key
        (Odoo does not retry that). Inserting it first with ``ON CONFLICT DO
        NOTHING`` leaves ``mail.activity`` nothing to add. When the other
        transaction commits first, PostgreSQL refuses ours with a
        serialization failure (repeatable read): Odoo rolls the request back
        and replays it, and the replay finds the follower.
        """
        if not record or not partner:
            return
        subtypes = (
            self.env["mail.message.subtype"].sudo().default_subtypes(record._name)[0]
        )
        self.env.cr.execute(
            SQL(
                """
                WITH follower AS (
                    INSERT INTO mail_followers (res_model, res_id, partner_id)
                    VALUES (%s, %s, %s)
                    ON CONFLICT (res_model, res_id, partner_id) DO NOTHING
                    RETURNING id
                )
                INSERT INTO mail_followers_mail_message_subtype_rel
                    (mail_followers_id, mail_message_subtype_id)
                SELECT follower.id, unnest(%s::int[]) FROM follower
                """,
                record._name,
                record.id,
                partner.id,
                subtypes.ids,
            ),
            # a concurrent subscription fails here, and Odoo retries
            log_exceptions=False,
        )
        self.env["mail.followers"].invalidate_model()
        record.invalidate_recordset(["message_follower_ids", "message_partner_ids"])

    def _atelier_cancel_callback(self):
        for call in self:
            if call.callback_activity_id.active:
                call.callback_activity_id.sudo().unlink()

    def _atelier_outgoing_made(self):
        """These outgoing calls were made: the missed calls they call back
        are called back."""
        if not self:
            return
        self.env["atelier.call"].sudo().search(
            [("callback_call_id", "in", self.ids), ("callback_done", "=", False)]
        )._atelier_mark_called_back()

    def _atelier_end_outgoing(self, outcome):
        """An outgoing call whose outcome is logged is over: "no answer", or
        ended (a call the telephony system did not report)."""
        todo = self.filtered(
            lambda c: c.direction == "outbound" and c.state in ("ringing", "no_answer")
        )
        if not todo:
            return
        todo.sudo().with_context(atelier_cti_no_callback=True).write(
            {
                "state": "no_answer" if outcome == "no_answer" else "ended",
                "end_at": fields.Datetime.now(),
            }
        )

    @api.model
    def _cron_end_stale_outgoing_calls(self):
        """Outgoing calls with no news after the timeout end as "no answer".

        A call dialed through a ``tel:`` link is reported by nobody unless
        its outcome is logged, and a PBX may never send the events of a call
        it gave up: none of them stays "ringing" forever. A later event or
        outcome still updates it.
        """
        limit = fields.Datetime.now() - timedelta(minutes=OUTGOING_TIMEOUT_MINUTES)
        calls = self.search(
            [
                ("direction", "=", "outbound"),
                ("state", "=", "ringing"),
                ("start_at", "<", limit),
            ]
        )
        for call in calls:
            call.with_context(atelier_cti_no_callback=True).write(
                {"state": "no_answer", "end_at": fields.Datetime.now()}
            )
            call.message_post(
                body=self.env._(
                    "No news of this call within %(minutes)s minutes (no telephony "
                    "event, no outcome logged): it is considered not answered.",
                    minutes=OUTGOING_TIMEOUT_MINUTES,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return len(calls)

    def _atelier_mark_called_back(self):
        """Close the call-back of these missed calls (activity marked done)."""
        todo = self.filtered(lambda c: c.state == "missed" and not c.callback_done)
        if not todo:
            return
        todo.sudo().with_context(atelier_cti_no_callback=True).write(
            {"callback_done": True, "callback_at": fields.Datetime.now()}
        )
        activities = todo.sudo().callback_activity_id.filtered("active")
        if activities:
            activities.with_context(atelier_cti_no_callback=True).action_feedback(
                feedback=self.env._("Called back.")
            )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _atelier_popup_payload(self):
        self.ensure_one()
        call = self.sudo()
        return {
            "id": call.id,
            "state": call.state,
            "direction": call.direction,
            "number": call.partner_number or "",
            "line": call.line_id.name,
            "start_at": fields.Datetime.to_string(call.start_at),
            "partner_id": call.partner_id.id or False,
            "partner_name": call.partner_id.display_name or "",
            "candidates": [
                {"id": p.id, "name": p.display_name} for p in call.candidate_partner_ids
            ],
            "answered_by": (
                {"id": call.user_id.id, "name": call.user_id.name}
                if call.user_id
                else False
            ),
            "outcome": call.outcome or False,
            # why the caller cannot get an e-mail (the pop-up's button says it)
            "email_reason": call._atelier_email_refusal(),
            # the order of the call's states, for a tab that gets an old
            # notification late (the bus replays the last ones to a new tab):
            # ringing, then answered, then over; within one, the later event
            "state_rank": STATE_RANKS.get(call.state, 0),
            "state_at": fields.Datetime.to_string(
                max(
                    (d for d in (call.start_at, call.answer_at, call.end_at) if d),
                    default=False,
                )
            ),
        }

    def _atelier_recent_calls_data(self):
        """The last calls of an unidentified number (a known contact's are in
        the "Recent calls" section of its customer card)."""
        self.ensure_one()
        if self.partner_id or not self.partner_number:
            return []
        calls = self.search(
            [("id", "!=", self.id), ("partner_number", "=", self.partner_number)],
            limit=RECENT_CALLS,
        )
        states = dict(self._fields["state"]._description_selection(self.env))
        return [
            {
                "id": call.id,
                "start_at": fields.Datetime.to_string(call.start_at),
                "state": call.state,
                "state_label": states.get(call.state),
                "direction": call.direction,
                "user": call.user_id.name or "",
                "notes": html2plaintext(call.notes or "")[:200],
            }
            for call in calls
        ]

    @api.model
    def _atelier_check_can_dial(self):
        user = self.env.user
        if user.share or not (
            user.has_group("atelier_base.group_assistant")
            or user.has_group("atelier_base.group_technician")
        ):
            raise AccessError(
                self.env._("Only assistants, technicians and managers can place calls.")
            )

    @api.model
    def _atelier_dial_line(self):
        Line = self.env["atelier.cti.line"].sudo()
        lines = Line.search([("user_ids", "in", self.env.uid)], limit=1)
        return lines or Line.search([], limit=1)

    @api.model
    def _atelier_dial_action(self, result):
        """The client action of a dial (``atelier_cti_dial``): it hands a
        ``tel:`` link to the browser (the softphone), shows the outgoing
        call in the pop-ups and the PBX's answer, and leaves the web client
        where it is. An URL action would not: Odoo turns ``tel:…`` into the
        route ``/tel:…``, a 404 page."""
        return {
            "type": "ir.actions.client",
            "tag": "atelier_cti_dial",
            "params": result,
        }
