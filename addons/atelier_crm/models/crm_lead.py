# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import datetime, time, timedelta

import pytz
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, email_normalize, plaintext2html

from ..tools.business_hours import zone
from ..tools.regions import REGIONS, region_of
from .atelier_crm_score_rule import PROFILES, VEHICLE_TYPES

_logger = logging.getLogger(__name__)

CHANNELS = [
    ("website_form", "Website form"),
    ("lead_magnet", "Lead magnet"),
    ("phone", "Phone call"),
    ("booking", "Booking"),
    ("placement_test", "Placement test"),
    ("manual", "Manual entry"),
    ("import", "Import"),
]
# the engagement event a way in is worth
CHANNEL_EVENTS = {
    "website_form": "form_submitted",
    "lead_magnet": "guide_downloaded",
    "phone": "call",
    "booking": "booking",
    "placement_test": "placement_test",
}
NEEDS = [
    ("coaching_essential", "Coaching package Essential (890 EUR)"),
    ("coaching_expert", "Coaching package Expert (1,490 EUR)"),
    ("workshop_quote", "Workshop quote"),
    ("partnership", "Partnership"),
    ("none", "No need yet"),
]
TIMELINES = [
    ("month", "Within a month"),
    ("quarter", "Within three months"),
    ("later", "Later"),
]
FUNNEL = [
    ("lead", "Lead"),
    ("mql", "Marketing-qualified"),
    ("sql", "Sales-qualified"),
    ("won", "Won"),
    ("lost", "Lost"),
]
PROFILE_PIPELINES = {
    "learner": "individuals",
    "individual": "individuals",
    "garage": "partners",
    "supplier": "partners",
    "marketplace": "partners",
}
# a business event: (stops sequences with this reason, engagement event)
BUSINESS_EVENTS = {
    "reply": ("reply", "reply"),
    "booking": ("booking", "booking"),
    "payment": ("payment", "payment"),
    "ticket": ("ticket", None),
    "placement_test": ("placement_test", "placement_test"),
    "unsubscribe": ("unsubscribe", None),
    "won": ("won", None),
    "lost": ("lost", None),
    "erased": ("erased", None),
}
# the fields a capture fills on an existing open lead when they are empty
_FILL_FIELDS = (
    "phone",
    "email_from",
    "contact_name",
    "partner_name",
    "zip",
    "city",
    "atelier_profile",
    "atelier_vehicle_type",
    "source_id",
    "campaign_id",
    "medium_id",
    "atelier_referral_code",
    "atelier_landing_page",
)
_FIT_FIELDS = {"atelier_profile", "atelier_vehicle_type", "zip", "country_id"}


class CrmLead(models.Model):
    _inherit = "crm.lead"

    atelier_channel = fields.Selection(
        CHANNELS,
        string="Way in",
        index=True,
        default=lambda self: (
            "import" if self.env.context.get("import_file") else "manual"
        ),
        copy=False,
    )
    atelier_referral_code = fields.Char(
        string="Referral code", index="btree_not_null", copy=False
    )
    atelier_landing_page = fields.Char(string="Landing page", copy=False)
    atelier_client_ip = fields.Char(
        string="Client IP", copy=False, groups="base.group_system"
    )
    atelier_profile = fields.Selection(PROFILES, string="Profile")
    atelier_vehicle_type = fields.Selection(VEHICLE_TYPES, string="Vehicle")
    atelier_region = fields.Selection(
        REGIONS,
        string="Region",
        compute="_compute_atelier_region",
        store=True,
        readonly=False,
    )
    atelier_need = fields.Selection(NEEDS, string="Need")
    atelier_timeline = fields.Selection(TIMELINES, string="Timeline")
    atelier_score = fields.Float(
        string="Score",
        readonly=True,
        copy=False,
        digits=(16, 1),
        aggregator="avg",
        index=True,
    )
    atelier_score_line_ids = fields.One2many(
        "atelier.crm.score.line", "lead_id", string="Score lines", readonly=True
    )
    atelier_mql_date = fields.Datetime(
        string="Marketing-qualified on", readonly=True, copy=False
    )
    atelier_sql_date = fields.Datetime(
        string="Sales-qualified on", readonly=True, copy=False
    )
    atelier_funnel = fields.Selection(
        FUNNEL,
        string="Funnel stage",
        compute="_compute_atelier_funnel",
        store=True,
        index=True,
    )
    atelier_enrolment_ids = fields.One2many(
        "atelier.crm.enrolment", "lead_id", string="Sequences", readonly=True
    )
    atelier_enrolment_count = fields.Integer(compute="_compute_atelier_enrolment_count")
    atelier_stage_log_ids = fields.One2many(
        "atelier.crm.stage.log", "lead_id", string="Stage history", readonly=True
    )
    atelier_qualification_ids = fields.One2many(
        "survey.user_input", "lead_id", string="Qualification scripts", readonly=True
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("zip", "country_id")
    def _compute_atelier_region(self):
        for lead in self:
            lead.atelier_region = region_of(lead.zip, lead.country_id.code or "FR")

    @api.depends("atelier_mql_date", "atelier_sql_date", "won_status")
    def _compute_atelier_funnel(self):
        for lead in self:
            if lead.won_status in ("won", "lost"):
                lead.atelier_funnel = lead.won_status
            elif lead.atelier_sql_date:
                lead.atelier_funnel = "sql"
            elif lead.atelier_mql_date:
                lead.atelier_funnel = "mql"
            else:
                lead.atelier_funnel = "lead"

    def _compute_atelier_enrolment_count(self):
        counts = dict(
            self.env["atelier.crm.enrolment"]._read_group(
                [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]
            )
        )
        for lead in self:
            lead.atelier_enrolment_count = counts.get(lead, 0)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get("atelier_crm_no_dedup"):
            leads = super().create(vals_list)
            leads._atelier_after_create()
            return leads
        self._atelier_link_contacts(vals_list)
        # an import row for a contact who already has an open lead updates
        # it; two rows of one new contact make one lead
        existing, same_batch = {}, {}
        if self.env.context.get("import_file"):
            existing = self._atelier_open_leads_for(vals_list)
            first_row = {}
            for index, vals in enumerate(vals_list):
                partner_id = vals.get("partner_id")
                if index in existing or not partner_id:
                    continue
                if partner_id in first_row:
                    same_batch[index] = first_row[partner_id]
                else:
                    first_row[partner_id] = index
        new_rows = [
            index
            for index in range(len(vals_list))
            if index not in existing and index not in same_batch
        ]
        created = dict(
            zip(new_rows, super().create([vals_list[i] for i in new_rows]), strict=True)
        )
        result = []
        for index, vals in enumerate(vals_list):
            if index in created:
                lead = created[index]
            else:
                lead = existing.get(index) or created[same_batch[index]]
                lead._atelier_fill(vals)
                lead.message_post(
                    body=self.env._("Found again in an import: the lead was updated.")
                )
            result.append(lead.id)
        self.browse([lead.id for lead in created.values()])._atelier_after_create()
        return self.browse(result)

    def write(self, vals):
        moved = self.browse()
        if "stage_id" in vals:
            moved = self.filtered(lambda lead: lead.stage_id.id != vals["stage_id"])
        res = super().write(vals)
        if moved:
            moved._atelier_log_stage()
        if _FIT_FIELDS.intersection(vals) and not self.env.context.get(
            "atelier_crm_no_fit"
        ):
            self._atelier_apply_fit()
        return res

    def _atelier_after_create(self):
        self._atelier_log_stage()
        self._atelier_apply_fit()

    @api.model
    def _atelier_link_contacts(self, vals_list):
        """The contact of each new lead: the one with this e-mail (any case)
        or this phone number (any format), else a new one."""
        Partner = self.env["res.partner"]
        for vals in vals_list:
            if vals.get("partner_id"):
                continue
            email = vals.get("email_from")
            phone = vals.get("phone")
            if not (email or phone):
                continue
            name = vals.get("contact_name") or vals.get("partner_name") or email
            if not name:
                continue
            partner = Partner._atelier_crm_find_or_create_contact(
                {
                    "name": name,
                    "email": email,
                    "phone": phone,
                    "company_name": vals.get("partner_name")
                    if vals.get("contact_name")
                    else False,
                    "zip": vals.get("zip"),
                    "city": vals.get("city"),
                    "country_id": vals.get("country_id"),
                }
            )
            if partner:
                vals["partner_id"] = partner.id

    @api.model
    def _atelier_open_leads_for(self, vals_list):
        partner_ids = [
            vals["partner_id"] for vals in vals_list if vals.get("partner_id")
        ]
        if not partner_ids:
            return {}
        open_leads = self.sudo().search(
            [("partner_id", "in", partner_ids), ("won_status", "=", "pending")],
            order="id desc",
        )
        by_partner = {}
        for lead in open_leads:
            by_partner.setdefault(lead.partner_id.id, lead)
        return {
            index: by_partner[vals["partner_id"]].with_env(self.env)
            for index, vals in enumerate(vals_list)
            if vals.get("partner_id") in by_partner
        }

    def _atelier_fill(self, vals):
        """Write ``vals`` where this lead has nothing yet (first touch wins)."""
        self.ensure_one()
        update = {}
        for fname in _FILL_FIELDS:
            value = vals.get(fname)
            if value and not self[fname]:
                update[fname] = value
        tags = vals.get("tag_ids")
        if tags:
            update["tag_ids"] = tags
        if update:
            self.write(update)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_atelier_view_enrolments(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "atelier_crm.atelier_crm_enrolment_action"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_atelier_enrol(self):
        """The enrolment wizard for these leads."""
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Enrol in a sequence"),
            "res_model": "atelier.crm.enrol.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_ids": [Command.set(self.ids)]},
        }

    def action_atelier_mark_mql(self):
        """Hand a lead to sales now, whatever its score."""
        self.check_access("write")
        self.filtered(lambda lead: not lead.atelier_mql_date).sudo()._atelier_mark_mql()
        return True

    def action_atelier_start_qualification(self):
        """Open the qualification script (a survey) for this lead."""
        self.ensure_one()
        self.check_access("write")
        survey = self.env["survey.survey"].sudo()._atelier_qualification_script()
        if not survey:
            raise UserError(self.env._("No qualification script is configured."))
        answer = survey._atelier_start_for_lead(self.sudo())
        return {
            "type": "ir.actions.act_url",
            "url": answer._atelier_fill_url(),
            "target": "self",
        }

    def action_atelier_recompute_score(self):
        self.check_access("write")
        self.sudo()._atelier_apply_fit()
        return True

    # ------------------------------------------------------------------
    # Capture (every way in)
    # ------------------------------------------------------------------
    @api.model
    def _atelier_capture(self, data, channel, consents=None, client_ip=None):
        """Create or update one contact and one open lead for ``data``.

        ``data``: name, email, phone, company, zip, city, message, profile,
        vehicle_type, lead_name, source/campaign/medium (records), referral,
        landing, tag_ids, expected_revenue, description (HTML).
        ``consents``: ``{purpose: (action, text)}`` to log for the address.
        Duplicates are matched by e-mail (any case) then phone (any format),
        under a lock per address so that two submissions do not race.
        """
        Partner = self.env["res.partner"].sudo()
        partner = Partner._atelier_crm_find_or_create_contact(
            {
                "name": data.get("name") or data.get("email") or data.get("phone"),
                "email": data.get("email"),
                "phone": data.get("phone"),
                "company_name": data.get("company"),
                "zip": data.get("zip"),
                "city": data.get("city"),
            }
        )
        Lead = self.sudo().with_context(
            atelier_crm_no_dedup=True, tracking_disable=True
        )
        lead = Lead.search(
            [("partner_id", "=", partner.id), ("won_status", "=", "pending")],
            order="id desc",
            limit=1,
        )
        vals = self._atelier_capture_values(data, channel, partner, client_ip)
        channel_label = dict(
            self._fields["atelier_channel"]._description_selection(self.env)
        )[channel]
        note = data.get("message")
        if lead:
            lead._atelier_fill(vals)
            body = Markup("<p>%s</p>") % self.env._(
                "New contact through: %(channel)s.", channel=channel_label
            )
            if data.get("description"):
                body += Markup(data["description"])
            elif note:
                body += plaintext2html(note)
            lead.message_post(
                body=body, message_type="comment", subtype_xmlid="mail.mt_note"
            )
        else:
            lead = Lead.create(vals)
        event = CHANNEL_EVENTS.get(channel)
        if event:
            lead._atelier_add_score(event, detail=data.get("score_detail"))
        if consents and partner.email_normalized:
            for purpose, (action, text) in consents.items():
                self.env["atelier.crm.consent"]._atelier_log(
                    [partner.email_normalized],
                    purpose,
                    action,
                    channel,
                    text=text,
                    ip=client_ip,
                    partner_id=partner.id,
                    lead_id=lead.id,
                )
        return lead

    @api.model
    def _atelier_capture_values(self, data, channel, partner, client_ip):
        channel_label = dict(
            self._fields["atelier_channel"]._description_selection(self.env)
        )[channel]
        name = data.get("lead_name") or self.env._(
            "%(who)s - %(channel)s", who=partner.name, channel=channel_label
        )
        team = self.env["crm.team"]._atelier_team_for_profile(data.get("profile"))
        vals = {
            "name": name,
            "type": "lead" if self._atelier_uses_leads() else "opportunity",
            "partner_id": partner.id,
            # nobody owns a new lead: the scoring hands it to sales
            "user_id": False,
            "contact_name": partner.name,
            "email_from": partner.email or data.get("email"),
            "phone": data.get("phone") or partner.phone,
            "partner_name": data.get("company") or False,
            "zip": data.get("zip") or partner.zip,
            "city": data.get("city") or partner.city,
            "atelier_channel": channel,
            "atelier_profile": data.get("profile") or False,
            "atelier_vehicle_type": data.get("vehicle_type") or False,
            "atelier_referral_code": data.get("referral") or False,
            "atelier_landing_page": data.get("landing") or False,
            "source_id": data["source"].id if data.get("source") else False,
            "campaign_id": data["campaign"].id if data.get("campaign") else False,
            "medium_id": data["medium"].id if data.get("medium") else False,
            "team_id": team.id or False,
            "description": data.get("description")
            or (plaintext2html(data["message"]) if data.get("message") else False),
            "tag_ids": [Command.link(tag) for tag in data.get("tag_ids") or []],
        }
        if data.get("expected_revenue"):
            vals["expected_revenue"] = data["expected_revenue"]
        if client_ip:
            vals["atelier_client_ip"] = client_ip
        return vals

    # ------------------------------------------------------------------
    # Scoring
    # ------------------------------------------------------------------
    def _atelier_rule_reason(self, rule):
        lang = (
            self.partner_id.lang
            or self.env.company.partner_id.lang
            or self.env.lang
            or "en_US"
        )
        return rule.with_context(lang=lang).name

    def _atelier_add_score(self, event, detail=None, now=None):
        """Engagement points for ``event`` on these leads (open ones)."""
        leads = self.sudo().filtered(
            lambda lead: lead.active and lead.won_status == "pending"
        )
        if not leads:
            return
        rules = (
            self.env["atelier.crm.score.rule"]
            .sudo()
            .search([("kind", "=", "engagement"), ("event", "=", event)])
        )
        if not rules:
            return
        Line = self.env["atelier.crm.score.line"].sudo()
        counts = {
            (lead.id, rule.id): count
            for lead, rule, count in Line._read_group(
                [("lead_id", "in", leads.ids), ("rule_id", "in", rules.ids)],
                ["lead_id", "rule_id"],
                ["__count"],
            )
        }
        now = now or fields.Datetime.now()
        vals_list = []
        for lead in leads:
            for rule in rules:
                limit = 1 if rule.once_per_lead else rule.max_per_lead
                if limit and counts.get((lead.id, rule.id), 0) >= limit:
                    continue
                vals_list.append(
                    {
                        "lead_id": lead.id,
                        "rule_id": rule.id,
                        "kind": "engagement",
                        "event": event,
                        "reason_text": lead._atelier_rule_reason(rule),
                        "detail": (detail or "")[:200] or False,
                        "points": rule.points,
                        "date": now,
                    }
                )
        if vals_list:
            Line.create(vals_list)
            leads._atelier_recompute_score(now=now)

    def _atelier_apply_fit(self):
        """Replace the fit lines of these leads from their profile."""
        leads = self.sudo()
        if not leads:
            return
        Line = self.env["atelier.crm.score.line"].sudo()
        Line.search([("lead_id", "in", leads.ids), ("kind", "=", "fit")]).unlink()
        rules = self.env["atelier.crm.score.rule"].sudo()._atelier_fit_rules()
        vals_list = [
            {
                "lead_id": lead.id,
                "rule_id": rule.id,
                "kind": "fit",
                "reason_text": lead._atelier_rule_reason(rule),
                "points": rule.points,
            }
            for lead in leads
            for rule in rules
            if rule._atelier_matches(lead)
        ]
        Line.create(vals_list)
        leads._atelier_recompute_score()

    def _atelier_recompute_score(self, now=None, all_open=False):
        """Score = fit points + decayed engagement points, set-based; then
        hand the leads that crossed the threshold to sales."""
        now = now or fields.Datetime.now()
        half_life = self.env["atelier.crm.score.line"]._atelier_half_life()
        self.env.flush_all()
        if all_open:
            target = SQL(
                "SELECT id FROM crm_lead WHERE active AND won_status = 'pending' "
                "AND (atelier_score <> 0 OR EXISTS "
                "(SELECT 1 FROM atelier_crm_score_line WHERE lead_id = crm_lead.id))"
            )
        else:
            if not self.ids:
                return
            target = SQL("SELECT unnest(%s::int[])", self.ids)
        self.env.cr.execute(
            SQL(
                """UPDATE crm_lead l SET atelier_score = s.total
                     FROM (SELECT t.id AS lead_id,
                                  ROUND(COALESCE(SUM(CASE WHEN sl.kind = 'engagement'
                                      THEN sl.points * power(0.5,
                                          GREATEST(EXTRACT(EPOCH FROM
                                              (%(now)s - sl.date)), 0)
                                          / 86400.0 / %(half_life)s)
                                      ELSE sl.points END), 0)::numeric, 1) AS total
                             FROM (%(target)s) AS t(id)
                        LEFT JOIN atelier_crm_score_line sl ON sl.lead_id = t.id
                         GROUP BY t.id) s
                    WHERE l.id = s.lead_id AND l.atelier_score IS DISTINCT FROM s.total
                RETURNING l.id""",
                now=now,
                half_life=half_life,
                target=target,
            )
        )
        changed = [row[0] for row in self.env.cr.fetchall()]
        self.env["crm.lead"].invalidate_model(["atelier_score"])
        if changed:
            self.browse(changed)._atelier_check_threshold()
        return changed

    @api.model
    def _atelier_threshold(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("atelier_crm.mql_threshold", "50")
        )
        try:
            return float(value)
        except ValueError:
            return 50.0

    def _atelier_check_threshold(self):
        threshold = self._atelier_threshold()
        leads = self.sudo().filtered(
            lambda lead: (
                lead.atelier_score >= threshold
                and not lead.atelier_mql_date
                and lead.active
                and lead.won_status == "pending"
            )
        )
        if leads:
            leads._atelier_mark_mql()

    @api.model
    def _atelier_cron_decay(self):
        """Daily: engagement points decay; scores follow."""
        return len(self.sudo()._atelier_recompute_score(all_open=True) or [])

    # ------------------------------------------------------------------
    # Marketing-qualified: salesperson and "advisory call"
    # ------------------------------------------------------------------
    def _atelier_mark_mql(self, now=None):
        now = now or fields.Datetime.now()
        for lead in self.sudo():
            vals = {"atelier_mql_date": now}
            team = lead.team_id or self.env["crm.team"]._atelier_team_for_profile(
                lead.atelier_profile
            )
            if team and not lead.team_id:
                vals["team_id"] = team.id
            if not lead.user_id and team:
                member = team._atelier_next_member(now)
                if member:
                    vals["user_id"] = member.user_id.id
            stage = team._atelier_stage("call") if team else False
            if stage and stage.sequence > lead.stage_id.sequence:
                vals["stage_id"] = stage.id
            lead.write(vals)
            lead._atelier_schedule_advisory_call()

    def _atelier_schedule_advisory_call(self):
        activity_type = self.env.ref("atelier_crm.mail_activity_type_advisory_call")
        for lead in self.sudo():
            user = (
                lead.user_id or lead.team_id.user_id or self.env.ref("base.user_admin")
            )
            own = lead.with_context(lang=user.lang or self.env.lang, tz=user.tz)
            top = own.atelier_score_line_ids.sorted(lambda line: -line.current_points)[
                :5
            ]
            reasons = "\n".join(
                f"• {line.reason} ({line.current_points:+.0f})" for line in top
            )
            lead.activity_schedule(
                activity_type_id=activity_type.id,
                date_deadline=self._atelier_next_working_day(user),
                user_id=user.id,
                summary=own.env._("Advisory call"),
                note=plaintext2html(
                    own.env._(
                        "Score %(score)s. Call with the qualification script."
                        "\n%(reasons)s",
                        score=f"{lead.atelier_score:.0f}",
                        reasons=reasons,
                    )
                ),
            )

    @api.model
    def _atelier_next_working_day(self, user=None, now=None):
        """The next working day of the company calendar after today (public
        holidays skipped), in the user's time zone."""
        calendar = self.env.company.resource_calendar_id
        tz = zone((user and user.tz) or calendar.tz)
        now = now or fields.Datetime.now()
        today = pytz.utc.localize(now).astimezone(tz).date()
        start = tz.localize(datetime.combine(today + timedelta(days=1), time.min))
        if calendar:
            intervals = calendar._work_intervals_batch(
                start, start + timedelta(days=21), tz=tz
            )[False]
            for begin, _end, _records in intervals:
                return begin.astimezone(tz).date()
        day = today + timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day

    # ------------------------------------------------------------------
    # Business events
    # ------------------------------------------------------------------
    @api.model
    def _atelier_business_event(
        self, event, leads=None, partners=None, emails=(), detail=None
    ):
        """Something the customer did (or the lead became): stop their
        sequences and score it. Glue addons call this."""
        reason, score_event = BUSINESS_EVENTS[event]
        leads = (leads or self.browse()).sudo()
        partners = (partners or self.env["res.partner"]).sudo()
        emails = {email_normalize(e) for e in emails if e} - {False}
        emails |= set(filter(None, partners.mapped("email_normalized")))
        self.env["atelier.crm.enrolment"].sudo()._atelier_stop(
            reason,
            lead_ids=leads.ids,
            partner_ids=partners.ids,
            emails=list(emails),
        )
        if score_event:
            targets = leads
            if partners:
                targets |= self.sudo().search(
                    [("partner_id", "in", partners.ids), ("won_status", "=", "pending")]
                )
            targets._atelier_add_score(score_event, detail=detail)
        return True

    def _handle_won_lost(self, old_status_by_lead, new_status_by_lead):
        res = super()._handle_won_lost(old_status_by_lead, new_status_by_lead)
        for status, event in (("is_won", "won"), ("is_lost", "lost")):
            ids = [
                lead_id
                for lead_id, new in new_status_by_lead.items()
                if new[status] and not old_status_by_lead.get(lead_id, {}).get(status)
            ]
            if ids:
                self._atelier_business_event(event, leads=self.browse(ids))
        return res

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        if (msg_vals or {}).get(
            "message_type", message.message_type
        ) == "email" and not (
            message.author_id.user_ids.filtered(lambda u: not u.share)
        ):
            self._atelier_register_reply(message)
        return res

    def _atelier_register_reply(self, message):
        """A contact's e-mail on the lead: the step it answers counts a reply
        and the sequences stop."""
        Log = self.env["atelier.crm.enrolment.step"].sudo()
        log = Log.browse()
        if message.parent_id:
            log = Log.search([("mail_message_id", "=", message.parent_id.id)], limit=1)
        if not log:
            log = Log.search(
                [("lead_id", "in", self.ids), ("state", "=", "sent")],
                order="processed_at desc, id desc",
                limit=1,
            )
        log._atelier_mark("replied")
        self._atelier_business_event(
            "reply", leads=self, detail=(message.subject or "")[:100]
        )

    # ------------------------------------------------------------------
    # Stage history
    # ------------------------------------------------------------------
    def _atelier_log_stage(self, now=None):
        if not self:
            return
        now = now or fields.Datetime.now()
        self.env["atelier.crm.stage.log"].sudo()._atelier_close(self.ids, now)
        self.env["atelier.crm.stage.log"].sudo().create(
            [
                {
                    "lead_id": lead.id,
                    "stage_id": lead.stage_id.id,
                    "team_id": lead.team_id.id,
                    "date_in": now,
                }
                for lead in self
                if lead.stage_id
            ]
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @api.model
    def _atelier_uses_leads(self):
        """Whether the "Leads" step is on (a setting of every employee)."""
        group = self.env.ref("crm.group_use_lead", raise_if_not_found=False)
        return (
            bool(group)
            and group in self.env.ref("base.group_user").sudo().all_implied_ids
        )

    def _atelier_contact_tz(self, default="Europe/Paris"):
        self.ensure_one()
        partner = self.partner_id
        if partner.tz:
            return partner.tz
        country = self.country_id or partner.country_id
        zones = pytz.country_timezones.get(country.code or "") if country else None
        return zones[0] if zones else default

    def _atelier_gdpr_anonymise(self):
        """Remove everything personal from these leads; the figures stay."""
        leads = self.sudo().with_context(
            tracking_disable=True, atelier_crm_no_fit=True, active_test=False
        )
        for lead in leads:
            lead.write(
                {
                    "name": self.env._("Anonymised lead #%(id)s", id=lead.id),
                    "partner_id": lead.partner_id.id,
                    "contact_name": False,
                    "partner_name": False,
                    "email_from": False,
                    "email_cc": False,
                    "phone": False,
                    "street": False,
                    "street2": False,
                    "zip": False,
                    "city": False,
                    "website": False,
                    "function": False,
                    "description": False,
                    "referred": False,
                    "atelier_landing_page": False,
                    "atelier_client_ip": False,
                }
            )
        messages = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", "crm.lead"), ("res_id", "in", leads.ids)])
        )
        self.env["atelier.crm.gdpr.log"]._atelier_scrub_messages(messages)
        self.env["survey.user_input"].sudo().search(
            [("lead_id", "in", leads.ids)]
        ).user_input_line_ids.unlink()
        return len(leads), len(messages)
