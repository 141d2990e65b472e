# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import logging
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, consteq, email_normalize

from odoo.addons.atelier_base.tools.phone import PhoneNormalizationError
from odoo.addons.atelier_crm.tools.regions import REGIONS

from ..tools.identity import email_key, new_code

_logger = logging.getLogger(__name__)

FUEL_TYPES = [
    ("petrol", "Petrol"),
    ("diesel", "Diesel"),
    ("hybrid", "Hybrid"),
    ("electric", "Electric"),
    ("lpg", "LPG"),
    ("flexfuel", "Flex-fuel (E85)"),
]
PROFILES = [
    ("enthusiast", "Car enthusiast"),
    ("pragmatic", "Pragmatic owner"),
    ("young_driver", "Young driver"),
    ("garage", "Independent garage"),
]
# the CRM's profile of a beta profile (its lead goes to the right pipeline)
CRM_PROFILES = {
    "enthusiast": "individual",
    "pragmatic": "individual",
    "young_driver": "individual",
    "garage": "garage",
}
STATES = [
    ("pending", "Awaiting confirmation"),
    ("waiting", "On the waitlist"),
    ("invited", "Invited"),
    ("tester", "Beta tester"),
    ("expired", "Never confirmed"),
    ("erased", "Erased"),
]
# the people who hold a place (pending ones do not yet)
ACTIVE_STATES = ("waiting", "invited", "tester")
BETA_TZ = "Europe/Paris"
MANAGER_GROUP = "atelier_beta.group_beta_manager"
TEAM_GROUP = "atelier_beta.group_beta_user"
# personal fields an erasure or an expiry empties
_PERSONAL_FIELDS = (
    "name",
    "email",
    "email_key",
    "phone",
    "phone_e164",
    "device_id",
    "signup_ip",
    "confirm_ip",
    "vehicle_make",
    "vehicle_year",
    "referral_code",
)


class AtelierBetaSignup(models.Model):
    """One person on the beta's waitlist, from the sign-up form to the beta.

    The row is created when the form is sent (state "pending"); it enters
    the queue when the address is confirmed through the CRM's double
    opt-in, and gets a queue number then. Its place in the queue is::

        rank score = queue number - P x min(credited referrals, C)

    (P: places per referral, C: the most referrals that count, both in
    Settings); the position is 1 + the number of waiting people with a
    lower rank score (ties: the lower queue number first).

    An erasure or a confirmation that never came empties the personal
    fields but keeps the row (dates, batch, segment), so every figure of
    the beta stays right.
    """

    _name = "atelier.beta.signup"
    _description = "Beta sign-up"
    _order = "rank_score, queue_number, id"

    name = fields.Char(readonly=True)
    email = fields.Char(readonly=True, index="btree_not_null")
    email_key = fields.Char(
        "Mailbox key",
        readonly=True,
        index="btree_not_null",
        groups=MANAGER_GROUP,
        help="The address without case, dots (Gmail) or +aliases: "
        "one mailbox, one place.",
    )
    phone = fields.Char(readonly=True)
    phone_e164 = fields.Char(
        readonly=True, index="btree_not_null", groups=MANAGER_GROUP
    )
    state = fields.Selection(
        STATES, default="pending", required=True, readonly=True, index=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Portal user",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    lead_id = fields.Many2one("crm.lead", readonly=True, ondelete="set null")
    optin_id = fields.Many2one(
        "atelier.crm.optin",
        string="Opt-in request",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
    )
    vehicle_make = fields.Char("Make", readonly=True)
    fuel_type = fields.Selection(FUEL_TYPES, required=True, readonly=True, index=True)
    vehicle_year = fields.Integer("Year", readonly=True, aggregator=None)
    region = fields.Selection(REGIONS, required=True, readonly=True, index=True)
    profile = fields.Selection(PROFILES, required=True, readonly=True, index=True)
    source_id = fields.Many2one("utm.source", readonly=True, ondelete="set null")
    origin = fields.Selection(
        [("referral", "Referral"), ("campaign", "Campaign"), ("direct", "Direct")],
        compute="_compute_origin",
        store=True,
        help="How the person came: a referral code, a tagged link (source), "
        "or neither.",
    )
    referral_code = fields.Char(readonly=True, copy=False)
    referred_by_id = fields.Many2one(
        "atelier.beta.signup",
        string="Referred by",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    referral_ids = fields.One2many(
        "atelier.beta.referral", "referrer_id", string="Referrals made", readonly=True
    )
    referral_credits = fields.Integer(
        "Credited referrals",
        readonly=True,
        default=0,
        help="Referred people who confirmed their address and used the app.",
    )
    device_id = fields.Char(readonly=True, index="btree_not_null", groups=MANAGER_GROUP)
    signup_ip = fields.Char(
        "Sign-up IP", readonly=True, index="btree_not_null", groups=MANAGER_GROUP
    )
    confirm_ip = fields.Char("Confirmation IP", readonly=True, groups=MANAGER_GROUP)
    confirmed_at = fields.Datetime(readonly=True, index="btree_not_null")
    queue_number = fields.Integer(readonly=True, copy=False, aggregator=None)
    rank_score = fields.Integer(
        readonly=True,
        copy=False,
        aggregator=None,
        help="Queue number minus the places won by referrals: the lower, the sooner.",
    )
    position = fields.Integer(
        compute="_compute_position", help="Place in the waitlist today."
    )
    batch_id = fields.Many2one(
        "atelier.beta.batch", readonly=True, index="btree_not_null", ondelete="set null"
    )
    invitation_ids = fields.One2many(
        "atelier.beta.invitation", "signup_id", readonly=True
    )
    invited_at = fields.Datetime(readonly=True)
    accepted_at = fields.Datetime(readonly=True)
    activated_at = fields.Datetime(
        readonly=True,
        index="btree_not_null",
        help="The first real use of the app: the first diagnostic session received.",
    )
    activity_ids = fields.One2many("atelier.beta.activity", "signup_id", readonly=True)
    feedback_ids = fields.One2many("atelier.beta.feedback", "author_id", readonly=True)
    last_use_day = fields.Date("Last use", readonly=True)
    leaderboard_optin = fields.Boolean(
        "On the leaderboard",
        help="The tester chose to appear on (and see) the leaderboard.",
    )
    karma = fields.Integer(related="user_id.karma")
    erased_at = fields.Datetime(readonly=True)
    status_url = fields.Char(compute="_compute_urls", groups="base.group_system")
    referral_url = fields.Char(compute="_compute_urls")

    _referral_code_uniq = models.UniqueIndex(
        "(referral_code) WHERE referral_code IS NOT NULL", "Referral codes are unique."
    )
    _queue_number_uniq = models.UniqueIndex(
        "(queue_number) WHERE queue_number IS NOT NULL", "Queue numbers are unique."
    )
    _rank_idx = models.Index("(rank_score, queue_number) WHERE state = 'waiting'")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("referred_by_id", "source_id")
    def _compute_origin(self):
        for signup in self:
            if signup.referred_by_id:
                signup.origin = "referral"
            elif signup.source_id:
                signup.origin = "campaign"
            else:
                signup.origin = "direct"

    @api.depends("state", "email_key", "referral_code")
    def _compute_urls(self):
        for signup in self:
            active = signup.id and signup.state in ACTIVE_STATES
            signup.status_url = signup._atelier_status_url() if active else False
            signup.referral_url = signup._atelier_referral_url() if active else False

    def _compute_position(self):
        positions = self._atelier_positions()
        for signup in self:
            signup.position = positions.get(signup.id, 0)

    @api.depends("name", "queue_number")
    def _compute_display_name(self):
        for signup in self:
            signup.display_name = signup.name or self.env._(
                "Sign-up #%(id)s", id=signup.id or "-"
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_erase(self):
        """Erase the personal data of these sign-ups (beta managers)."""
        self._atelier_check_manager()
        for signup in self:
            signup._atelier_erase("backoffice")
        return True

    # ------------------------------------------------------------------
    # Settings
    # ------------------------------------------------------------------
    @api.model
    def _atelier_param(self, key, default):
        value = self.env["ir.config_parameter"].sudo().get_param(f"atelier_beta.{key}")
        if value in (None, False, ""):
            return default
        try:
            return type(default)(value)
        except ValueError:
            return default

    @api.model
    def _atelier_check_manager(self):
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            raise AccessError(self.env._("Only beta managers may do this."))

    @api.model
    def _atelier_check_team(self):
        if not (self.env.su or self.env.user.has_group(TEAM_GROUP)):
            raise AccessError(self.env._("Only the beta team may do this."))

    @api.model
    def _atelier_manager_user(self):
        """Who gets the beta's follow-up activities: the user of Settings,
        else the first beta manager."""
        Users = self.env["res.users"].sudo()
        user = Users.browse(self._atelier_param("manager_user_id", 0)).exists()
        if user and user.active:
            return user
        return Users.search(
            [
                ("all_group_ids", "in", self.env.ref(MANAGER_GROUP).id),
                ("share", "=", False),
                ("id", "!=", SUPERUSER_ID),
            ],
            order="id",
            limit=1,
        )

    # ------------------------------------------------------------------
    # Queue
    # ------------------------------------------------------------------
    @api.model
    def _atelier_rank_sql(self, alias="s"):
        """SQL of the rank score of a row ``alias``, from the settings."""
        places = max(self._atelier_param("places_per_referral", 10), 0)
        cap = max(self._atelier_param("max_referral_credits", 10), 0)
        return SQL(
            "(%(alias)s.queue_number"
            " - %(places)s * LEAST(%(alias)s.referral_credits, %(cap)s))",
            alias=SQL.identifier(alias),
            places=places,
            cap=cap,
        )

    @api.model
    def _atelier_rerank(self, ids=None):
        """Write the rank score of ``ids`` (all confirmed rows if None)."""
        self.flush_model(["queue_number", "referral_credits"])
        where = SQL("s.queue_number IS NOT NULL")
        if ids is not None:
            where = SQL("%s AND s.id = ANY(%s)", where, list(ids))
        self.env.cr.execute(
            SQL(
                "UPDATE atelier_beta_signup s SET rank_score = %s WHERE %s",
                self._atelier_rank_sql(),
                where,
            )
        )
        self.invalidate_model(["rank_score", "position"])

    def _atelier_positions(self):
        """``{id: position}`` of those of ``self`` on the waitlist."""
        waiting = [s.id for s in self if s.id and s.state == "waiting"]
        if not waiting:
            return {}
        self.flush_model(["state", "rank_score", "queue_number"])
        self.env.cr.execute(
            SQL(
                """SELECT me.id,
                      (SELECT count(*) FROM atelier_beta_signup o
                        WHERE o.state = 'waiting'
                          AND (o.rank_score, o.queue_number)
                              < (me.rank_score, me.queue_number)) + 1
                 FROM atelier_beta_signup me
                WHERE me.id = ANY(%s)""",
                waiting,
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _atelier_waiting_count(self):
        self.flush_model(["state"])
        self.env.cr.execute(
            SQL("SELECT count(*) FROM atelier_beta_signup WHERE state = 'waiting'")
        )
        return self.env.cr.fetchone()[0]

    # ------------------------------------------------------------------
    # Tokens: the status page
    # ------------------------------------------------------------------
    def _atelier_status_token(self):
        """The secret of this person's status page: signed with the
        database secret over the row and its mailbox (none once erased)."""
        self.ensure_one()
        signature = tools.hmac(
            self.env(su=True),
            "atelier_beta-status",
            f"{self.id}.{self.sudo().email_key}",
        )[:32]
        return f"{self.id}.{signature}"

    def _atelier_status_url(self):
        self.ensure_one()
        return f"{self.get_base_url()}/beta/status/{self._atelier_status_token()}"

    def _atelier_referral_url(self):
        self.ensure_one()
        code = self.sudo().referral_code
        return f"{self.get_base_url()}/beta?ref={code}" if code else False

    @api.model
    def _atelier_from_status_token(self, token):
        """The sign-up a status token was made for, or an empty recordset
        (forged, garbled, erased, never confirmed)."""
        head, _sep, signature = (token or "").partition(".")
        if not head.isdigit() or not signature:
            return self.browse()
        signup = self.sudo().browse(int(head)).exists()
        if not signup or not signup.email_key or signup.state not in ACTIVE_STATES:
            return self.browse()
        if not consteq(signup._atelier_status_token(), f"{head}.{signature}"):
            return self.browse()
        return signup

    # ------------------------------------------------------------------
    # Sign-up
    # ------------------------------------------------------------------
    @api.model
    def _atelier_lock_key(self, key):
        """Serialize the sign-ups of one mailbox (the second waits)."""
        digest = int.from_bytes(
            hashlib.sha256(key.encode()).digest()[:8], "big", signed=True
        )
        self.env.cr.execute(SQL("SELECT pg_advisory_xact_lock(%s)", digest))

    @api.model
    def _atelier_register(self, data, client_ip=None, device_id=None):
        """Record a sign-up from the public form and ask for the address's
        confirmation (the CRM's double opt-in). Returns ``(status, signup)``:
        "new", "pending" (a new link for a sign-up still unconfirmed) or
        "known" (the mailbox is on the list already: a reminder with its
        status link goes to it, nothing changes).

        ``data``: name, email, phone, vehicle_make, fuel_type, vehicle_year,
        region, profile, referrer (a sign-up or empty), source (utm.source or
        empty), purposes and texts (consents of the CRM).
        """
        Signup = self.sudo()
        email = email_normalize(data["email"])
        key = email_key(email)
        if not key:
            raise UserError(self.env._("This e-mail address is not valid."))
        self._atelier_lock_key(key)
        existing = Signup.search(
            [("email_key", "=", key), ("state", "in", ("pending", *ACTIVE_STATES))],
            limit=1,
        )
        referrer = data.get("referrer") or Signup.browse()
        if existing and existing.state != "pending":
            if referrer and referrer == existing:
                self.env["atelier.beta.referral"]._atelier_log_self_referral(
                    existing, client_ip, device_id
                )
            template = self.env.ref("atelier_beta.mail_template_signup_known")
            template.sudo().send_mail(
                existing.id, email_layout_xmlid="mail.mail_notification_light"
            )
            return "known", existing
        vals = {
            "name": data["name"],
            "email": email,
            "email_key": key,
            "phone": data.get("phone") or False,
            "phone_e164": self._atelier_e164(data.get("phone")),
            "vehicle_make": data.get("vehicle_make") or False,
            "fuel_type": data["fuel_type"],
            "vehicle_year": data.get("vehicle_year") or False,
            "region": data["region"],
            "profile": data["profile"],
            "source_id": data["source"].id if data.get("source") else False,
            "device_id": device_id or False,
            "signup_ip": client_ip or False,
        }
        if existing:
            status, signup = "pending", existing
            signup.write(vals)
        else:
            status, signup = "new", Signup.create(vals)
        if referrer and not signup.referred_by_id and referrer != signup:
            self.env["atelier.beta.referral"]._atelier_refer(referrer, signup)
        signup._atelier_request_optin(data)
        return status, signup

    @api.model
    def _atelier_e164(self, phone):
        if not phone:
            return False
        try:
            return self.env["res.partner"]._atelier_normalize_phone(phone).e164
        except PhoneNormalizationError:
            return False

    def _atelier_request_optin(self, data):
        """The CRM's double opt-in, with what the CRM keeps of a sign-up."""
        self.ensure_one()
        attribution = {
            "profile": CRM_PROFILES.get(self.profile),
            "vehicle_type": "car",
            "landing": "/beta",
        }
        if self.source_id:
            attribution["source_id"] = self.source_id.id
        if self.referred_by_id:
            attribution["referral"] = self.referred_by_id.sudo().referral_code
        optin = (
            self.env["atelier.crm.optin"]
            .sudo()
            ._atelier_request(
                {
                    "name": self.name,
                    "email": self.email,
                    "phone": self.phone,
                    "zip": False,
                    "attribution": attribution,
                },
                "beta",
                data.get("purposes") or [],
                data.get("texts") or {},
                client_ip=self.sudo().signup_ip,
            )
        )
        self.optin_id = optin

    def _atelier_confirm(self, lead, ip=None):
        """The address is confirmed: the person enters the queue, gets a
        referral code, and an e-mail with their position and links."""
        self.ensure_one()
        signup = self.sudo()
        if signup.state != "pending":
            return
        self._atelier_lock_key(signup.email_key)
        vals = {
            "state": "waiting",
            "confirmed_at": fields.Datetime.now(),
            "confirm_ip": ip or False,
            "lead_id": lead.id if lead else False,
            "partner_id": lead.partner_id.id if lead and lead.partner_id else False,
            "queue_number": self.env["ir.sequence"]
            .sudo()
            .next_by_code("atelier.beta.queue"),
            "referral_code": signup._atelier_unique_code(),
        }
        signup.write(vals)
        signup._atelier_rerank([signup.id])
        referral = (
            self.env["atelier.beta.referral"]
            .sudo()
            .search([("referred_id", "=", signup.id)])
        )
        if referral:
            referral._atelier_check()
        template = self.env.ref("atelier_beta.mail_template_signup_welcome")
        template.sudo().send_mail(
            signup.id, email_layout_xmlid="mail.mail_notification_light"
        )

    def _atelier_unique_code(self):
        Signup = self.sudo().with_context(active_test=False)
        for _attempt in range(10):
            code = new_code()
            if not Signup.search_count([("referral_code", "=", code)], limit=1):
                return code
        raise UserError(self.env._("No free referral code: please try again."))

    # ------------------------------------------------------------------
    # Use of the app (fed by the glue with the diagnostic sessions)
    # ------------------------------------------------------------------
    @api.model
    def _atelier_record_use(self, partners, moment):
        """A real use of the app at ``moment`` (UTC) by the testers of
        ``partners`` (the contact or the company that owns the vehicle).
        The first one activates the tester and settles their referral."""
        if not partners:
            return self.browse()
        testers = self.sudo().search(
            [
                ("state", "=", "tester"),
                "|",
                ("partner_id", "in", partners.ids),
                ("partner_id.commercial_partner_id", "in", partners.ids),
            ]
        )
        if not testers:
            return testers
        Activity = self.env["atelier.beta.activity"].sudo()
        day = Activity._atelier_day(moment)
        Activity._atelier_add(testers, day)
        first = testers.filtered(lambda s: not s.activated_at)
        if first:
            first.write({"activated_at": moment})
            for tester in first:
                tester.user_id._atelier_grant_beta_badge("badge_first_diagnostic")
            self.env["atelier.beta.referral"].sudo().search(
                [("referred_id", "in", first.ids), ("state", "=", "pending")]
            )._atelier_on_activation()
        for tester in testers:
            if not tester.last_use_day or tester.last_use_day < day:
                tester.last_use_day = day
        return testers

    # ------------------------------------------------------------------
    # Rewards
    # ------------------------------------------------------------------
    def _atelier_grant_referral_badges(self):
        """The referral badges a tester has earned with their credits."""
        for signup in self.sudo().filtered(lambda s: s.state == "tester" and s.user_id):
            if signup.referral_credits >= 1:
                signup.user_id._atelier_grant_beta_badge("badge_first_referral")
            if signup.referral_credits >= 5:
                signup.user_id._atelier_grant_beta_badge("badge_ambassador")

    @api.model
    def _atelier_leaderboard(self, limit=50):
        """The testers who opted in, by karma: first name and initial only."""
        testers = self.sudo().search(
            [
                ("state", "=", "tester"),
                ("leaderboard_optin", "=", True),
                ("user_id", "!=", False),
            ]
        )
        rows = []
        for tester in testers:
            words = (tester.name or "").split()
            short = words[0] if words else "?"
            if len(words) > 1:
                short = f"{short} {words[-1][0]}."
            rows.append(
                {
                    "id": tester.id,
                    "name": short,
                    "karma": tester.user_id.karma,
                    "rank": tester.user_id.rank_id.name or "",
                    "badges": len(tester.user_id.badge_ids),
                }
            )
        rows.sort(key=lambda row: (-row["karma"], row["id"]))
        for index, row in enumerate(rows[:limit], start=1):
            row["place"] = index
        return rows[:limit]

    # ------------------------------------------------------------------
    # Erasure
    # ------------------------------------------------------------------
    def _atelier_anonymise(self, state):
        """Empty the personal fields, leave the queue; the row and what it
        counts stay. Open invitations die; votes and figures stay."""
        signups = self.sudo()
        now = fields.Datetime.now()
        signups.invitation_ids.filtered(
            lambda inv: inv.state in ("draft", "sent")
        ).write({"state": "cancelled"})
        vals = dict.fromkeys(_PERSONAL_FIELDS, False)
        vals.update(state=state, leaderboard_optin=False)
        if state == "erased":
            vals["erased_at"] = now
        signups.write(vals)
        signups.feedback_ids.write({"screenshot": False})
        self.env["atelier.beta.nps"].sudo().search(
            [("signup_id", "in", signups.ids)]
        )._atelier_erase()

    def _atelier_erase(self, channel):
        """Erasure on request: this person's beta data, then their contact
        everywhere as the CRM does it (when it is no employee's)."""
        self.ensure_one()
        signup = self.sudo()
        partner = signup.partner_id
        signup._atelier_anonymise("erased")
        if partner and not partner.user_ids.filtered(lambda user: not user.share):
            partner._atelier_gdpr_erase(channel)
        _logger.info("Beta sign-up %s erased (%s)", signup.id, channel)

    @api.model
    def _atelier_cron_expire_unconfirmed(self):
        """Sign-ups never confirmed in time: anonymised, kept as a count."""
        hours = self.env["atelier.crm.optin"]._atelier_validity_hours()
        limit = fields.Datetime.now() - timedelta(hours=hours)
        stale = self.sudo().search(
            [
                ("state", "=", "pending"),
                "|",
                ("optin_id", "=", False),
                ("optin_id.expires_at", "<=", fields.Datetime.now()),
                ("create_date", "<=", limit),
            ]
        )
        self.env["atelier.beta.referral"].sudo().search(
            [("referred_id", "in", stale.ids), ("state", "=", "pending")]
        ).write({"state": "lapsed"})
        stale._atelier_anonymise("expired")
        return len(stale)
