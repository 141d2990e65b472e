# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# the signals that make a referral a self-referral (refused outright)
BLOCKING = ("same_email", "same_phone", "same_device")
# the signals that send a referral to a manager before any credit
DOUBTFUL = ("same_ip", "shared_device", "shared_ip")


class AtelierBetaReferral(models.Model):
    """Someone signed up with another person's referral code.

    Credit comes only once the referred person has confirmed their address
    AND made a first real use of the app (activation). A self-referral is
    refused: same mailbox (e-mail without case, dots or +alias), same phone
    (through the phone index), same device (the id the sign-up page keeps
    in the browser's localStorage). Doubtful cases wait for a manager: the
    same IP address as the referrer's (a household, an office), or a
    device or IP shared with another person the same referrer brought.
    """

    _name = "atelier.beta.referral"
    _description = "Beta referral"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"
    _rec_name = "referred_id"

    referrer_id = fields.Many2one(
        "atelier.beta.signup",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    referred_id = fields.Many2one(
        "atelier.beta.signup",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    state = fields.Selection(
        [
            ("pending", "Waiting for confirmation and first use"),
            ("review", "To review"),
            ("credited", "Credited"),
            ("rejected", "Rejected"),
            ("lapsed", "Never confirmed"),
        ],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    same_email = fields.Boolean("Same mailbox", readonly=True)
    same_phone = fields.Boolean(readonly=True)
    same_device = fields.Boolean(readonly=True)
    same_ip = fields.Boolean("Same IP address", readonly=True)
    shared_device = fields.Boolean(
        "Device seen with another referral",
        readonly=True,
        help="Another person brought by the same referrer signed up from this device.",
    )
    shared_ip = fields.Boolean(
        "IP seen with another referral",
        readonly=True,
        help="Another person brought by the same referrer signed up from this address.",
    )
    reason = fields.Char(compute="_compute_reason")
    reward = fields.Selection(
        [("places", "Queue places"), ("karma", "Karma")], readonly=True
    )
    credited_at = fields.Datetime(readonly=True)
    reviewed_by_id = fields.Many2one("res.users", readonly=True)
    reviewed_at = fields.Datetime(readonly=True)
    review_note = fields.Char()

    _pair_uniq = models.Constraint(
        "UNIQUE (referrer_id, referred_id)", "This referral is recorded already."
    )
    # a person is brought by one referrer (a self-referral is referrer = referred)
    _referred_uniq = models.UniqueIndex(
        "(referred_id) WHERE referred_id <> referrer_id", "A person is referred once."
    )

    @api.depends(*BLOCKING, *DOUBTFUL)
    def _compute_reason(self):
        labels = {
            fname: self._fields[fname]._description_string(self.env)
            for fname in (*BLOCKING, *DOUBTFUL)
        }
        for referral in self:
            referral.reason = ", ".join(
                labels[fname] for fname in (*BLOCKING, *DOUBTFUL) if referral[fname]
            )

    # ------------------------------------------------------------------
    # Actions (the review queue)
    # ------------------------------------------------------------------
    def action_approve(self):
        """A manager credits doubtful referrals after a look."""
        self.env["atelier.beta.signup"]._atelier_check_manager()
        todo = self.filtered(lambda r: r.state == "review")
        if todo != self:
            raise UserError(self.env._("Only referrals to review can be approved."))
        todo.sudo().write(
            {"reviewed_by_id": self.env.uid, "reviewed_at": fields.Datetime.now()}
        )
        todo.sudo()._atelier_credit()
        todo.sudo().activity_ids.action_feedback()
        return True

    def action_reject(self):
        """A manager refuses the credit of referrals still open."""
        self.env["atelier.beta.signup"]._atelier_check_manager()
        todo = self.filtered(lambda r: r.state in ("pending", "review"))
        if todo != self:
            raise UserError(self.env._("Only open referrals can be rejected."))
        todo.sudo().write(
            {
                "state": "rejected",
                "reviewed_by_id": self.env.uid,
                "reviewed_at": fields.Datetime.now(),
            }
        )
        todo.sudo().activity_ids.action_feedback()
        return True

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    @api.model
    def _atelier_refer(self, referrer, referred):
        """Record that ``referred`` signed up with ``referrer``'s code."""
        referral = self.sudo().create(
            {"referrer_id": referrer.id, "referred_id": referred.id}
        )
        referred.sudo().referred_by_id = referrer
        referral._atelier_check()
        return referral

    @api.model
    def _atelier_log_self_referral(self, signup, client_ip, device_id):
        """Someone on the list signed up again with their own code (another
        spelling of their address): kept as a rejected referral."""
        existing = self.sudo().search(
            [("referrer_id", "=", signup.id), ("referred_id", "=", signup.id)]
        )
        if not existing:
            self.sudo().create(
                {
                    "referrer_id": signup.id,
                    "referred_id": signup.id,
                    "state": "rejected",
                    "same_email": True,
                }
            )
        _logger.info(
            "Beta: self-referral of sign-up %s refused (same mailbox)", signup.id
        )

    def _atelier_signals(self):
        """The flags of this referral, from both sign-ups as they are now."""
        self.ensure_one()
        referrer = self.referrer_id.sudo()
        referred = self.referred_id.sudo()
        flags = dict.fromkeys((*BLOCKING, *DOUBTFUL), False)
        if referrer == referred or (
            referrer.email_key and referrer.email_key == referred.email_key
        ):
            flags["same_email"] = True
        if referred.phone_e164:
            if referrer.phone_e164 == referred.phone_e164:
                flags["same_phone"] = True
            elif referrer.partner_id:
                owners = (
                    self.env["res.partner"]
                    .sudo()
                    ._atelier_find_by_phone(referred.phone_e164)
                )
                flags["same_phone"] = referrer.partner_id in owners
        if referred.device_id and referred.device_id == referrer.device_id:
            flags["same_device"] = True
        referrer_ips = {ip for ip in (referrer.signup_ip, referrer.confirm_ip) if ip}
        referred_ips = {ip for ip in (referred.signup_ip, referred.confirm_ip) if ip}
        flags["same_ip"] = bool(referrer_ips & referred_ips)
        siblings = (
            self.search([("referrer_id", "=", referrer.id), ("id", "!=", self.id)])
            .mapped("referred_id")
            .sudo()
            - referrer
        )
        if referred.device_id:
            flags["shared_device"] = referred.device_id in siblings.mapped("device_id")
        sibling_ips = set(siblings.mapped("signup_ip")) | set(
            siblings.mapped("confirm_ip")
        )
        flags["shared_ip"] = bool(referred_ips & (sibling_ips - {False}))
        return flags

    def _atelier_check(self):
        """Refresh the flags; a self-referral is refused at once."""
        for referral in self.sudo():
            if referral.state not in ("pending", "review"):
                continue
            flags = referral._atelier_signals()
            vals = dict(flags)
            if any(flags[fname] for fname in BLOCKING):
                vals["state"] = "rejected"
                _logger.info(
                    "Beta: referral %s refused (%s)",
                    referral.id,
                    ", ".join(fname for fname in BLOCKING if flags[fname]),
                )
            referral.write(vals)

    def _atelier_on_activation(self):
        """The referred person used the app: credit, or the review queue."""
        self._atelier_check()
        for referral in self.sudo().filtered(lambda r: r.state == "pending"):
            if any(referral[fname] for fname in DOUBTFUL):
                referral.state = "review"
                referral._atelier_notify_review()
            else:
                referral._atelier_credit()

    def _atelier_notify_review(self):
        self.ensure_one()
        manager = self.env["atelier.beta.signup"]._atelier_manager_user()
        if not manager:
            return
        self.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=fields.Date.context_today(self),
            user_id=manager.id,
            summary=self.env._("Referral to review: %(reason)s", reason=self.reason),
        )

    def _atelier_credit(self):
        """Give the referrer their reward: queue places while waiting, karma
        and badges once in the beta."""
        Signup = self.env["atelier.beta.signup"]
        karma = max(Signup._atelier_param("karma_per_referral", 20), 0)
        now = fields.Datetime.now()
        for referral in self.sudo():
            if referral.state not in ("pending", "review"):
                continue
            referrer = referral.referrer_id
            # one UPDATE: two activations at once add two credits
            referrer.flush_recordset(["referral_credits"])
            self.env.cr.execute(
                SQL(
                    "UPDATE atelier_beta_signup "
                    "SET referral_credits = referral_credits + 1 WHERE id = %s",
                    referrer.id,
                )
            )
            referrer.invalidate_recordset(["referral_credits"])
            in_beta = referrer.state == "tester" and referrer.user_id
            referral.write(
                {
                    "state": "credited",
                    "credited_at": now,
                    "reward": "karma" if in_beta else "places",
                }
            )
            if in_beta:
                if karma:
                    referrer.user_id._add_karma(
                        karma, referral, self.env._("Referral of a new beta tester")
                    )
                referrer._atelier_grant_referral_badges()
            else:
                Signup._atelier_rerank([referrer.id])
