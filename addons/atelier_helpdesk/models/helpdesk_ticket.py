# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import itertools
import logging
import re
from datetime import timedelta

from lxml import html as lxml_html
from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models, tools
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.fields import Domain

from .helpdesk_ticket_channel import CHANNEL_SELECTION

_logger = logging.getLogger(__name__)

SLA_STATUSES = [
    ("none", "No SLA"),
    ("on_track", "On track"),
    ("at_risk", "At risk"),
    ("breached", "Breached"),
    ("met", "Met"),
]
AGE_BUCKETS = [
    ("0_1", "Less than a day"),
    ("1_3", "1 to 3 days"),
    ("3_7", "3 to 7 days"),
    ("7_plus", "More than 7 days"),
]

# The dashboard's averages cover this many days
DASHBOARD_DAYS = 30
# reply templates suggested above a ticket's reply box, at most
SUGGESTED_REPLY_TEMPLATES = 3

# Sender local parts that never are a person writing to us
AUTOMATIC_LOCALPARTS = {
    "mailer-daemon",
    "postmaster",
    "noreply",
    "no-reply",
    "donotreply",
    "do-not-reply",
    "bounce",
    "bounces",
}
# cr.cache keys: decisions taken while routing an e-mail, used while
# creating the ticket (the mail gateway gives no headers to message_new)
CACHE_AUTO = "atelier_helpdesk_auto_message_ids"
CACHE_ACK = "atelier_helpdesk_ack_ticket_ids"


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    # the mixin first: it must come before mail.thread in the MRO
    _inherit = ["atelier.satisfaction.mixin", "helpdesk.ticket"]

    atelier_channel = fields.Selection(
        CHANNEL_SELECTION,
        string="Received via",
        compute="_compute_atelier_channel",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
    )
    # SLA
    atelier_first_response_date = fields.Datetime(
        string="First response on", readonly=True, copy=False
    )
    atelier_first_response_hours = fields.Float(
        string="First response time (working hours)",
        readonly=True,
        copy=False,
        aggregator="avg",
    )
    atelier_first_response_deadline = fields.Datetime(
        string="First response due", compute="_compute_atelier_sla", store=True
    )
    atelier_resolution_deadline = fields.Datetime(
        string="Resolution due", compute="_compute_atelier_sla", store=True
    )
    atelier_first_response_breached = fields.Boolean(
        string="First response late", compute="_compute_atelier_sla", store=True
    )
    atelier_resolution_breached = fields.Boolean(
        string="Resolution late", compute="_compute_atelier_sla", store=True
    )
    atelier_sla_status = fields.Selection(
        SLA_STATUSES,
        string="SLA status",
        compute="_compute_atelier_sla",
        store=True,
        index=True,
    )
    atelier_sla_deadline = fields.Datetime(
        string="Deadline",
        compute="_compute_atelier_sla",
        store=True,
        index="btree_not_null",
        help="The next SLA deadline of the ticket (first response, then "
        "resolution); a missed one stays shown.",
    )
    atelier_sla_urgency = fields.Selection(
        [
            ("none", "No deadline"),
            ("ok", "On time"),
            ("soon", "Soon"),
            ("late", "Late"),
        ],
        string="Urgency",
        compute="_compute_atelier_sla_urgency",
        help="Late: the deadline has passed; soon: within its warning delay.",
    )
    atelier_resolution_hours = fields.Float(
        string="Resolution time (working hours)",
        compute="_compute_atelier_resolution_hours",
        store=True,
        aggregator="avg",
    )
    atelier_age_bucket = fields.Selection(
        AGE_BUCKETS, string="Age", readonly=True, copy=False, default="0_1"
    )
    atelier_unowned_alerted = fields.Boolean(
        string="No-owner alert sent", readonly=True, copy=False
    )
    atelier_unanswered_alerted = fields.Boolean(
        string="No-reply alert sent", readonly=True, copy=False
    )
    # Satisfaction follow-up (atelier.satisfaction.mixin)
    atelier_survey_state = fields.Selection(required=True)
    # What the reply templates tell the client (glue addons fill them)
    atelier_next_appointment_at = fields.Datetime(
        string="Next appointment", compute="_compute_atelier_next_appointment"
    )
    atelier_next_appointment_with = fields.Char(
        string="Next appointment with", compute="_compute_atelier_next_appointment"
    )
    atelier_client_tz = fields.Char(
        string="Client's time zone",
        compute="_compute_atelier_client_tz",
        help="Time zone of the dates written to the client: the client's, else "
        "the team's working hours', else Paris.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("channel_id")
    def _compute_atelier_channel(self):
        for ticket in self:
            ticket.atelier_channel = (
                ticket.channel_id.atelier_code or ticket.atelier_channel or "other"
            )

    @api.depends(
        "ticket_sla_ids.state",
        "ticket_sla_ids.deadline",
        "ticket_sla_ids.atelier_warned",
        "ticket_sla_ids.atelier_kind",
    )
    def _compute_atelier_sla(self):
        """SLA summary from the lines; time moves through the cron, which
        expires and warns lines, so this stays a pure function of data."""
        for ticket in self:
            lines = ticket.ticket_sla_ids
            first = lines.filtered(lambda r: r.atelier_kind == "first_response")
            resolution = lines - first
            ticket.atelier_first_response_deadline = min(
                first.mapped("deadline"), default=False
            )
            ticket.atelier_resolution_deadline = min(
                resolution.mapped("deadline"), default=False
            )
            ticket.atelier_first_response_breached = any(
                r.state == "expired" for r in first
            )
            ticket.atelier_resolution_breached = any(
                r.state == "expired" for r in resolution
            )
            running = lines.filtered(lambda r: r.state in ("in_progress", "on_hold"))
            ticket.atelier_sla_deadline = min(
                lines.filtered(lambda r: r.state in ("in_progress", "expired")).mapped(
                    "deadline"
                ),
                default=False,
            )
            if not lines:
                status = "none"
            elif any(r.state == "expired" for r in lines):
                status = "breached"
            elif any(r.atelier_warned and r.state == "in_progress" for r in lines):
                status = "at_risk"
            elif running:
                status = "on_track"
            else:
                status = "met"
            ticket.atelier_sla_status = status

    def _compute_atelier_sla_urgency(self):
        now = fields.Datetime.now()
        for ticket in self:
            deadline = ticket.atelier_sla_deadline
            if ticket.closed or not deadline:
                urgency = "none"
            elif ticket.atelier_sla_status == "breached" or deadline <= now:
                urgency = "late"
            elif ticket.atelier_sla_status == "at_risk" or any(
                line.state == "in_progress"
                and line.atelier_warning_date
                and line.atelier_warning_date <= now
                for line in ticket.ticket_sla_ids
            ):
                urgency = "soon"
            else:
                urgency = "ok"
            ticket.atelier_sla_urgency = urgency

    @api.depends("closed_date", "create_date", "team_id.resource_calendar_id")
    def _compute_atelier_resolution_hours(self):
        for ticket in self:
            start, end = ticket.create_date, ticket.closed_date
            if not (start and end and end > start):
                ticket.atelier_resolution_hours = 0.0
                continue
            calendar = ticket.team_id.resource_calendar_id
            ticket.atelier_resolution_hours = (
                calendar.get_work_hours_count(start, end, compute_leaves=True)
                if calendar
                else (end - start).total_seconds() / 3600
            )

    def _compute_atelier_next_appointment(self):
        """The client's next appointment about this ticket: none here, the
        booking glue knows them."""
        self.atelier_next_appointment_at = False
        self.atelier_next_appointment_with = False

    @api.depends("partner_id.tz", "team_id.resource_calendar_id.tz")
    def _compute_atelier_client_tz(self):
        for ticket in self:
            ticket.atelier_client_tz = (
                ticket.partner_id.tz
                or ticket.team_id.resource_calendar_id.tz
                or "Europe/Paris"
            )

    # ------------------------------------------------------------------
    # Onchange
    # ------------------------------------------------------------------
    @api.onchange("type_id")
    def _onchange_type_id(self):
        res = super()._onchange_type_id()
        if self.type_id and not self.team_id:
            self.team_id = self._atelier_team_of_type(self.type_id.sudo())
        return res

    @api.onchange("team_id")
    def _onchange_atelier_team_id(self):
        team = self.team_id.sudo()
        if team and not (
            self.type_id and self._atelier_type_fits_team(self.type_id.sudo(), team)
        ):
            self.type_id = team.atelier_default_type_id

    @api.onchange("partner_id")
    def _onchange_atelier_route_partner(self):
        """A new ticket still on the routing that ignores its client (nobody
        chose its team or type by hand) follows the client's usual team."""
        if self._origin.id or not self.partner_id:
            return
        vals = self._atelier_routing_vals()
        current = {"team_id": self.team_id.id, "type_id": self.type_id.id}
        anonymous = self._atelier_route(dict(vals, partner_id=False))
        if self.team_id and current != anonymous:
            return
        routed = self._atelier_route(vals)
        if routed.get("team_id"):
            self.team_id = routed["team_id"]
        if routed.get("type_id"):
            self.type_id = routed["type_id"]

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model
    def default_get(self, fields):
        defaults = super().default_get(fields)
        # OCA's auto-assignment gives tickets created by the system (data,
        # scripts, sudo) to OdooBot, who then "signs" and owns them
        if defaults.get("user_id") == SUPERUSER_ID:
            defaults["user_id"] = False
        wanted = [f for f in ("team_id", "type_id") if f in fields]
        if wanted and not all(defaults.get(f) for f in wanted):
            context_vals = self._atelier_context_defaults()
            routed = self._atelier_route({**context_vals, **defaults})
            for fname in wanted:
                if not defaults.get(fname) and routed.get(fname):
                    defaults[fname] = routed[fname]
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        context_vals = self._atelier_context_defaults()
        # the caller's dicts are not ours to change
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            self._atelier_add_channel_id(vals)
            self._atelier_add_partner_details(vals)
            known = {**context_vals, **vals}
            if known.get("team_id") and known.get("type_id"):
                continue
            routed = self._atelier_route(known)
            for fname in ("team_id", "type_id"):
                if not known.get(fname) and routed.get(fname):
                    vals[fname] = routed[fname]
        return super().create(vals_list)

    def write(self, vals):
        self._atelier_add_channel_id(vals)
        self._atelier_add_partner_details(vals)
        res = super().write(vals)
        if "type_id" in vals or "team_id" in vals:
            with_sla = self.filtered(lambda t: t.team_id.use_sla)
            for ticket in with_sla:
                ticket.sudo().refresh_sla()
            # no team (or one without SLA): no target, as OCA does at creation
            (self - with_sla).sudo().ticket_sla_ids.unlink()
        return res

    @api.model
    def _atelier_add_partner_details(self, vals):
        """The client's name and e-mail, shown in the queue and used by the
        mail gateway, follow the contact unless given."""
        if not vals.get("partner_id"):
            return
        partner = self.env["res.partner"].browse(vals["partner_id"])
        if not vals.get("partner_name"):
            vals["partner_name"] = partner.name
        if not vals.get("partner_email"):
            vals["partner_email"] = partner.email

    @api.model
    def _atelier_add_channel_id(self, vals):
        """Give ``vals`` the channel record of its channel kind, if it names a
        kind and no channel."""
        if vals.get("atelier_channel") and not vals.get("channel_id"):
            channel = self.env["helpdesk.ticket.channel"]._atelier_for_code(
                vals["atelier_channel"]
            )
            if channel:
                vals["channel_id"] = channel.id

    # ------------------------------------------------------------------
    # Routing: every ticket lands on a team with a type (and so its SLA)
    # ------------------------------------------------------------------
    @api.model
    def _atelier_context_defaults(self):
        """``default_*`` values of the context, by field name."""
        return {
            key[8:]: value
            for key, value in self.env.context.items()
            if key.startswith("default_") and key[8:] in self._fields
        }

    def _atelier_routing_field_names(self):
        """Fields of a ticket that the routing reads (glue addons add theirs)."""
        return ["partner_id", "company_id"]

    def _atelier_routing_vals(self):
        """The routing inputs of this (new) ticket, as ids."""
        self.ensure_one()
        return {
            fname: self[fname].id
            for fname in self._atelier_routing_field_names()
            if self[fname]
        }

    @api.model
    def _atelier_routing_hints(self, vals):
        """(team, type) suggestions for a ticket with ``vals``, the strongest
        first; either may be empty. Glue addons put theirs before these (the
        telephony line, the trouble code). Here: the client's usual team."""
        hints = []
        # a client the user may read (its usual team is not for all to see)
        partner = (
            self.env["res.partner"]
            .browse(vals.get("partner_id") or [])
            .exists()
            ._filtered_access("read")
        )
        team = partner.sudo().commercial_partner_id.atelier_helpdesk_team_id
        if team:
            hints.append((team, self.env["helpdesk.ticket.type"].sudo()))
        return hints

    @api.model
    def _atelier_route(self, vals):
        """Team and type ids for a ticket with ``vals`` (ids): those given;
        else the routing hints; else the company's defaults (Settings). The
        missing half of a pair comes from the other half: a team's default
        type, a type's team. Returns ``{"team_id": id, "type_id": id}``,
        either may be False."""
        Team = self.env["helpdesk.ticket.team"].sudo()
        Type = self.env["helpdesk.ticket.type"].sudo()
        company = self.env["res.company"].browse(vals.get("company_id") or [])
        company = company.sudo() or self.env.company.sudo()
        team = Team.browse(vals.get("team_id") or []).exists()
        ticket_type = Type.browse(vals.get("type_id") or []).exists()
        team, ticket_type = self._atelier_complete_pair(team, ticket_type)
        if team and ticket_type:
            return {"team_id": team.id, "type_id": ticket_type.id}
        hints = itertools.chain(
            self._atelier_routing_hints(vals),
            self._atelier_default_hints(company),
        )
        for hint_team, hint_type in hints:
            hint_team = hint_team.sudo().filtered(
                lambda t: t.active and (not t.company_id or t.company_id == company)
            )
            hint_type = hint_type.sudo().filtered("active")
            if (
                not ticket_type
                and hint_type
                and (not team or self._atelier_type_fits_team(hint_type, team))
            ):
                ticket_type = hint_type
            if (
                not team
                and hint_team
                and (
                    not ticket_type
                    or self._atelier_type_fits_team(ticket_type, hint_team)
                )
            ):
                team = hint_team
            team, ticket_type = self._atelier_complete_pair(team, ticket_type)
            if team and ticket_type:
                break
        return {"team_id": team.id, "type_id": ticket_type.id}

    @api.model
    def _atelier_default_hints(self, company):
        """The company's defaults (Settings), then its first team."""
        Team = self.env["helpdesk.ticket.team"].sudo()
        yield company.atelier_helpdesk_team_id, company.atelier_helpdesk_type_id
        yield (
            Team.search(
                [("company_id", "in", [company.id, False])],
                order="sequence, id",
                limit=1,
            ),
            self.env["helpdesk.ticket.type"].sudo(),
        )

    @api.model
    def _atelier_complete_pair(self, team, ticket_type):
        if team and not ticket_type:
            ticket_type = team.atelier_default_type_id.filtered("active")
        elif ticket_type and not team:
            team = self._atelier_team_of_type(ticket_type)
        return team, ticket_type

    @api.model
    def _atelier_team_of_type(self, ticket_type):
        """The team a ticket of this type goes to: its default team, else the
        first team allowed to use it."""
        teams = ticket_type.atelier_team_id or ticket_type.team_ids
        return teams.filtered("active")[:1]

    @api.model
    def _atelier_type_fits_team(self, ticket_type, team):
        """Whether ``team`` may take tickets of ``ticket_type`` (each side may
        restrict the other; no restriction: any)."""
        return (not team.type_ids or ticket_type in team.type_ids) and (
            not ticket_type.team_ids or team in ticket_type.team_ids
        )

    # ------------------------------------------------------------------
    # Reply templates, one click from the reply box
    # ------------------------------------------------------------------
    @api.readonly
    def atelier_reply_template_list(self):
        """Reply templates offered next to this ticket's reply box:
        ``[{"id", "name", "suggested"}]``; ``suggested``: one of the few
        that fit the ticket's stage, shown as chips above the reply box."""
        self.ensure_one()
        self.check_access("read")
        templates = self._atelier_reply_templates()
        suggested = self._atelier_suggested_reply_templates(templates)
        return [
            {"id": t.id, "name": t.name, "suggested": t in suggested} for t in templates
        ]

    def _atelier_suggested_reply_templates(self, templates):
        """The reply templates suggested for this ticket: those meant for its
        stage (``atelier_reply_stage_ids``), the first few by name."""
        self.ensure_one()
        stage = self.sudo().stage_id
        if not stage:
            return templates.browse()
        fitting = templates.sudo().filtered(
            lambda t: stage in t.atelier_reply_stage_ids
        )
        return fitting[:SUGGESTED_REPLY_TEMPLATES].sudo(False)

    def atelier_reply_template_render(self, template_id):
        """A reply template rendered for this ticket as the current user (who
        signs it): ``{"subject", "body_html", "body_text"}``."""
        self.ensure_one()
        self.check_access("read")
        template = self._atelier_reply_templates().filtered(
            lambda t: t.id == template_id
        )
        if not template:
            raise UserError(self.env._("This reply template is not available."))
        # the template is rendered in the client's language, as when sent
        rendered = template._generate_template(self.ids, ["subject", "body_html"])[
            self.id
        ]
        body = rendered.get("body_html") or ""
        return {
            "subject": rendered.get("subject") or "",
            "body_html": body,
            "body_text": self._atelier_html_to_text(body),
        }

    @api.model
    def _atelier_reply_templates(self):
        return (
            self.env["mail.template"]
            .sudo()
            .search(
                [
                    ("model", "=", self._name),
                    ("atelier_helpdesk_reply", "=", True),
                ],
                order="name, id",
            )
            .sudo(False)
        )

    @api.model
    def _atelier_html_to_text(self, html):
        """Plain text of a rendered reply, for the plain-text reply box:
        paragraphs apart, line breaks and list items kept, no markup."""
        if not html:
            return ""
        root = lxml_html.fragment_fromstring(str(html), create_parent="div")
        for br in root.iter("br"):
            br.tail = "\n" + (br.tail or "")
        blocks = []
        for node in root.iter("p", "li"):
            lines = [
                re.sub(r"\s+", " ", line).strip()
                for line in node.text_content().split("\n")
            ]
            text = "\n".join(line for line in lines if line)
            if text:
                blocks.append((node.tag, f"- {text}" if node.tag == "li" else text))
        if not blocks:
            return tools.html2plaintext(str(html), include_references=False)
        text = blocks[0][1]
        for (previous, _text), (tag, block) in zip(blocks, blocks[1:], strict=False):
            text += ("\n" if tag == previous == "li" else "\n\n") + block
        return text

    # ------------------------------------------------------------------
    # Dashboard
    # ------------------------------------------------------------------
    @api.model
    @api.readonly
    def atelier_dashboard_data(self):
        """Figures of the helpdesk dashboard, over the tickets the user may
        read: open, unassigned, SLA breached and at risk (per team and type
        too), average first-response and resolution times and satisfaction
        over the last days. Each figure carries the domain of its tickets."""
        if not self.env.user.has_group("helpdesk_mgmt.group_helpdesk_user_own"):
            raise AccessError(self.env._("The helpdesk dashboard is for the desk."))
        self.check_access("read")
        since = fields.Datetime.now() - timedelta(days=DASHBOARD_DAYS)
        open_ = Domain("stage_id.closed", "=", False)
        unassigned = Domain("user_id", "=", False)
        breached = Domain("atelier_sla_status", "=", "breached")
        at_risk = Domain("atelier_sla_status", "=", "at_risk")
        counts = {}
        for team, ticket_type, status, count in self._read_group(
            open_, ["team_id", "type_id", "atelier_sla_status"], ["__count"]
        ):
            row = counts.setdefault(
                (team, ticket_type), {"open": 0, "breached": 0, "at_risk": 0}
            )
            row["open"] += count
            if status in ("breached", "at_risk"):
                row[status] += count
        unassigned_counts = {
            (team, ticket_type): count
            for team, ticket_type, count in self._read_group(
                open_ & unassigned, ["team_id", "type_id"], ["__count"]
            )
        }
        rows = []
        for (team, ticket_type), row in sorted(
            counts.items(),
            key=lambda item: (
                item[0][0].sequence if item[0][0] else 10**6,
                item[0][0].display_name or "",
                item[0][1].name or "",
            ),
        ):
            where = Domain("team_id", "=", team.id) & Domain(
                "type_id", "=", ticket_type.id
            )
            rows.append(
                {
                    "team": team.display_name or self.env._("No team"),
                    "type": ticket_type.name or self.env._("No type"),
                    "cells": [
                        self._atelier_dashboard_cell(row["open"], open_ & where),
                        self._atelier_dashboard_cell(
                            unassigned_counts.get((team, ticket_type), 0),
                            open_ & where & unassigned,
                        ),
                        self._atelier_dashboard_cell(
                            row["breached"], open_ & where & breached, "danger"
                        ),
                        self._atelier_dashboard_cell(
                            row["at_risk"], open_ & where & at_risk, "warning"
                        ),
                    ],
                }
            )
        total = {
            key: sum(row[key] for row in counts.values())
            for key in ("open", "breached", "at_risk")
        }
        answered = Domain("create_date", ">=", since) & Domain(
            "atelier_first_response_date", "!=", False
        )
        solved = Domain("closed_date", ">=", since) & Domain(
            "atelier_resolution_hours", ">", 0
        )
        rated = Domain("closed_date", ">=", since) & Domain("atelier_csat", ">", 0)
        [[first_response, answered_count]] = self._read_group(
            answered, [], ["atelier_first_response_hours:avg", "__count"]
        )
        [[resolution, solved_count]] = self._read_group(
            solved, [], ["atelier_resolution_hours:avg", "__count"]
        )
        [[csat, rated_count]] = self._read_group(
            rated, [], ["atelier_csat:avg", "__count"]
        )
        _ = self.env._
        kpis = [
            dict(
                self._atelier_dashboard_cell(total["open"], open_),
                key="open",
                label=_("Open tickets"),
            ),
            dict(
                self._atelier_dashboard_cell(
                    sum(unassigned_counts.values()), open_ & unassigned
                ),
                key="unassigned",
                label=_("Unassigned"),
            ),
            dict(
                self._atelier_dashboard_cell(
                    total["breached"], open_ & breached, "danger"
                ),
                key="breached",
                label=_("SLA breached"),
            ),
            dict(
                self._atelier_dashboard_cell(
                    total["at_risk"], open_ & at_risk, "warning"
                ),
                key="at_risk",
                label=_("SLA at risk"),
            ),
            dict(
                self._atelier_dashboard_cell(
                    first_response if answered_count else None, answered
                ),
                key="first_response",
                label=_("First response"),
                display=self._atelier_format_hours(first_response, answered_count),
                hint=_(
                    "Average in working hours, %(count)s tickets",
                    count=answered_count,
                ),
            ),
            dict(
                self._atelier_dashboard_cell(
                    resolution if solved_count else None, solved
                ),
                key="resolution",
                label=_("Resolution"),
                display=self._atelier_format_hours(resolution, solved_count),
                hint=_(
                    "Average in working hours, %(count)s tickets",
                    count=solved_count,
                ),
            ),
            dict(
                self._atelier_dashboard_cell(csat if rated_count else None, rated),
                key="csat",
                label=_("Satisfaction"),
                display=(
                    _("%(score)s / 5", score=f"{csat:.1f}") if rated_count else "–"
                ),
                hint=_("%(count)s ratings", count=rated_count),
            ),
        ]
        return {
            "kpis": kpis,
            "rows": rows,
            "days": DASHBOARD_DAYS,
            "columns": [_("Open"), _("Unassigned"), _("SLA breached"), _("At risk")],
        }

    @api.model
    def _atelier_dashboard_cell(self, value, domain, tone=""):
        return {
            "value": value,
            "display": str(value) if isinstance(value, int) else "–",
            "domain": list(domain),
            "tone": tone if value else "",
        }

    @api.model
    def _atelier_format_hours(self, hours, count):
        if not count:
            return "–"
        minutes = round(hours * 60)
        return self.env._(
            "%(hours)s h %(minutes)s",
            hours=minutes // 60,
            minutes=f"{minutes % 60:02d}",
        )

    # ------------------------------------------------------------------
    # Portal
    # ------------------------------------------------------------------
    def _atelier_portal_close(self, stage):
        """Close from the portal as the current user: the client of the
        ticket, or someone allowed to edit it; only to a portal-closing stage
        of the ticket's team. Raises AccessError otherwise."""
        self.ensure_one()
        user = self.env.user
        ticket = self.with_user(user).exists()
        if not ticket:
            raise MissingError(self.env._("This ticket does not exist."))
        ticket.check_access("read")
        sudo = ticket.sudo()
        is_client = (
            sudo.commercial_partner_id
            and sudo.commercial_partner_id == user.partner_id.commercial_partner_id
        )
        if not (is_client or ticket.has_access("write")):
            raise AccessError(self.env._("Only the client can close this ticket."))
        # without a team: the stages of no team in the ticket's company
        applicable = sudo.team_id.with_company(sudo.company_id)._get_applicable_stages()
        if not stage.exists() or not stage.close_from_portal or stage not in applicable:
            raise AccessError(self.env._("This ticket cannot be closed that way."))
        if sudo.stage_id != stage:
            sudo.stage_id = stage
        return True

    @api.model
    def _atelier_oversized_uploads(self, files):
        """[(name, size)] of uploaded files (werkzeug FileStorage) over the
        limit; the streams are rewound."""
        limit = self._atelier_max_attachment_bytes()
        refused = []
        for upload in files:
            if not upload.filename:
                continue
            stream = upload.stream
            stream.seek(0, 2)
            size = stream.tell()
            stream.seek(0)
            if size > limit:
                refused.append((upload.filename, size))
        return refused

    # ------------------------------------------------------------------
    # SLA
    # ------------------------------------------------------------------
    def _get_sla_ticket_domain(self):
        domain = super()._get_sla_ticket_domain()
        if self.type_id:
            return domain & (
                Domain("atelier_type_ids", "=", False)
                | Domain("atelier_type_ids", "in", self.type_id.ids)
            )
        return domain & Domain("atelier_type_ids", "=", False)

    def _atelier_is_employee_reply(self, message):
        """Public reply typed by an employee (not a note, not automatic)."""
        if message.message_type != "comment" or message.is_internal:
            return False
        if message.subtype_id.internal:
            return False
        users = message.author_id.sudo().user_ids
        return bool(users.filtered(lambda u: not u.share))

    def _atelier_register_first_response(self, when):
        for ticket in self.sudo().filtered(lambda t: not t.atelier_first_response_date):
            calendar = ticket.team_id.resource_calendar_id
            hours = 0.0
            if calendar and ticket.create_date and when > ticket.create_date:
                hours = calendar.get_work_hours_count(
                    ticket.create_date, when, compute_leaves=True
                )
            ticket.write(
                {
                    "atelier_first_response_date": when,
                    "atelier_first_response_hours": hours,
                }
            )
            ticket.ticket_sla_ids.filtered(
                lambda r: r.atelier_kind == "first_response"
            )._atelier_settle(when)

    @api.model
    def _atelier_cron_evaluate_sla(self):
        """Expire late targets, warn before the deadline, alert on forgotten
        tickets and refresh the age of open tickets."""
        now = fields.Datetime.now()
        Line = self.env["helpdesk.ticket.sla"].sudo()
        late = Line.search(
            [
                ("state", "=", "in_progress"),
                ("deadline", "!=", False),
                ("deadline", "<=", now),
            ]
        )
        late.write({"state": "expired"})
        for line in late:
            line.ticket_id._atelier_alert(
                "atelier_helpdesk.mail_activity_type_sla_breach",
                self.env._(
                    "SLA breached: %(target)s (due %(deadline)s)",
                    target=line.name,
                    deadline=self._atelier_format_dt(line.deadline),
                ),
                line.ticket_id._atelier_owner_or_manager(),
            )
        at_risk = Line.search(
            [
                ("state", "=", "in_progress"),
                ("atelier_warned", "=", False),
                ("atelier_warning_date", "!=", False),
                ("atelier_warning_date", "<=", now),
                ("deadline", ">", now),
            ]
        )
        at_risk.write({"atelier_warned": True})
        for line in at_risk:
            ticket = line.ticket_id
            ticket._atelier_alert(
                "atelier_helpdesk.mail_activity_type_sla_warning",
                self.env._(
                    "SLA at risk: %(target)s due %(deadline)s",
                    target=line.name,
                    deadline=self._atelier_format_dt(line.deadline),
                ),
                ticket._atelier_owner_or_manager(),
                deadline=line.deadline,
            )
        self._atelier_cron_progress(len(late) + len(at_risk))
        self._atelier_check_forgotten_tickets(now)
        self._atelier_refresh_age(now)

    def _atelier_check_forgotten_tickets(self, now):
        params = self.env["ir.config_parameter"].sudo()
        threshold = float(params.get_param("atelier_helpdesk.unattended_hours", 4.0))
        limit = now - timedelta(hours=threshold)
        Ticket = self.sudo()
        open_old = Domain("closed", "=", False) & Domain("create_date", "<=", limit)
        checks = (
            (
                Domain("user_id", "=", False),
                "atelier_unowned_alerted",
                self.env._(
                    "Nobody owns this ticket after %(hours)s hours", hours=threshold
                ),
            ),
            (
                Domain("atelier_first_response_date", "=", False),
                "atelier_unanswered_alerted",
                self.env._(
                    "The client has had no reply for %(hours)s hours", hours=threshold
                ),
            ),
        )
        for condition, flag, summary in checks:
            tickets = Ticket.search(open_old & condition & Domain(flag, "=", False))
            tickets.write({flag: True})
            for ticket in tickets:
                ticket._atelier_alert(
                    "atelier_helpdesk.mail_activity_type_ticket_attention",
                    summary,
                    ticket.team_id._atelier_manager()
                    if ticket.team_id
                    else ticket._atelier_owner_or_manager(),
                )

    def _atelier_refresh_age(self, now):
        """One query per age bucket: open tickets created in its range whose
        stored bucket is another one move into it."""
        Ticket = self.sudo()
        older_bound = None  # creation limit of the previous (younger) bucket
        for days, bucket in ((1, "0_1"), (3, "1_3"), (7, "3_7"), (None, "7_plus")):
            domain = Domain("closed", "=", False) & Domain(
                "atelier_age_bucket", "!=", bucket
            )
            if older_bound:
                domain &= Domain("create_date", "<=", older_bound)
            if days:
                older_bound = now - timedelta(days=days)
                domain &= Domain("create_date", ">", older_bound)
            Ticket.search(domain).write({"atelier_age_bucket": bucket})

    def _atelier_owner_or_manager(self):
        self.ensure_one()
        owner = self.user_id
        if owner and owner.active and not owner.share:
            return owner
        return (
            self.team_id._atelier_manager()
            if self.team_id
            else (self.env["helpdesk.ticket.team"]._atelier_fallback_manager())
        )

    def _atelier_alert(self, activity_xmlid, summary, user, deadline=None):
        """One activity on the ticket for ``user`` (skipped without a user)."""
        self.ensure_one()
        if not user:
            _logger.info("Ticket %s: no user to alert (%s)", self.number, summary)
            return
        self.sudo().activity_schedule(
            activity_xmlid,
            date_deadline=(deadline or fields.Datetime.now()).date(),
            summary=summary,
            user_id=user.id,
        )

    def _atelier_format_dt(self, value):
        tz = self.env.user.tz or "Europe/Paris"
        return tools.format_datetime(self.env, value, tz=tz, dt_format="short")

    # ------------------------------------------------------------------
    # Satisfaction follow-up
    # ------------------------------------------------------------------
    def _atelier_survey_closing_fields(self):
        return {"stage_id"}

    def _atelier_survey_is_closed(self):
        self.ensure_one()
        return self.stage_id.closed

    def _atelier_survey_wanted(self):
        self.ensure_one()
        return self.stage_id.atelier_send_survey and self.rating_status != "no_rate"

    @api.model
    def _atelier_survey_templates(self):
        return (
            self.env.ref("atelier_helpdesk.mail_template_ticket_survey"),
            self.env.ref("atelier_helpdesk.mail_template_ticket_survey_reminder"),
        )

    def _send_ticket_rating_mail(self, force_send=False):
        """OCA sends the rating request when the ticket reaches a stage; the
        follow-up here sends it two days after closing instead."""
        return None

    # ------------------------------------------------------------------
    # Mail gateway
    # ------------------------------------------------------------------
    @api.model
    def _atelier_is_automatic_message(self, message, message_dict):
        """Whether an incoming e-mail was written by a machine (auto-reply,
        out-of-office, bounce address, mailing list)."""
        auto_submitted = (message.get("Auto-Submitted") or "").strip().lower()
        if auto_submitted and auto_submitted != "no":
            return True
        precedence = (message.get("Precedence") or "").strip().lower()
        if precedence in ("bulk", "junk", "list", "auto_reply"):
            return True
        for header in ("X-Autoreply", "X-Autorespond", "X-Auto-Reply"):
            if message.get(header):
                return True
        if (message.get("Return-Path") or "").strip() == "<>":
            return True
        email_from = tools.email_normalize(message_dict.get("email_from") or "")
        if not email_from:
            return False
        localpart = email_from.split("@", 1)[0]
        if localpart in AUTOMATIC_LOCALPARTS or localpart.startswith("bounce"):
            return True
        domain_part = email_from.split("@", 1)[1]
        bare_localpart = localpart.split("+", 1)[0]
        return bool(
            self.env["mail.alias.domain"]
            .sudo()
            .search_count(
                [
                    ("name", "=", domain_part),
                    "|",
                    ("bounce_alias", "=", bare_localpart),
                    ("catchall_alias", "=", bare_localpart),
                ],
                limit=1,
            )
        )

    @api.model
    def _atelier_suppress_auto_response(self, message):
        value = (message.get("X-Auto-Response-Suppress") or "").lower()
        return any(
            flag in value for flag in ("all", "autoreply", "oof", "dr", "ndr", "rn")
        )

    @api.model
    def _routing_check_route(self, message, message_dict, route, raise_exception=True):
        """Called by the mail gateway for e-mails to a team alias: an automatic
        message never opens a ticket; it is kept as a note on the team."""
        route = super()._routing_check_route(
            message, message_dict, route, raise_exception=raise_exception
        )
        if not route or route[0] != self._name or route[1]:
            return route
        cache = self.env.cr.cache
        message_id = message_dict.get("message_id")
        if self._atelier_is_automatic_message(message, message_dict):
            alias = route[4]
            team_id = alias.alias_parent_thread_id if alias else False
            _logger.info(
                "Helpdesk: automatic e-mail from %s (Message-Id %s) kept on the "
                "team, no ticket created",
                message_dict.get("email_from"),
                message_id,
            )
            if team_id and alias.alias_parent_model_id.model == (
                "helpdesk.ticket.team"
            ):
                message_dict["is_internal"] = True
                return ("helpdesk.ticket.team", team_id, {}, route[3], alias)
            return ()
        if self._atelier_suppress_auto_response(message):
            cache.setdefault(CACHE_AUTO, set()).add(message_id)
        return route

    @api.private
    @api.model
    def message_new(self, msg, custom_values=None):
        custom_values = dict(custom_values or {})
        custom_values.setdefault("atelier_channel", "email")
        # OCA's auto-assignment would give e-mails to the gateway's user
        custom_values.setdefault("user_id", False)
        email_from = msg.get("email_from")
        if not msg.get("author_id") and tools.email_normalize(email_from or ""):
            partner = self.env["mail.thread"]._partner_find_from_emails_single(
                [email_from], no_create=False
            )
            if partner:
                msg["author_id"] = partner.id
        if not tools.html2plaintext(msg.get("body") or "").strip():
            _logger.info(
                "Helpdesk: e-mail %s from %s has no readable body, kept with a "
                "placeholder",
                msg.get("message_id"),
                email_from,
            )
            msg["body"] = Markup("<p>%s</p>") % self.env._(
                "(The e-mail had no readable text; see the attachments or the "
                "original message.)"
            )
        refused = self._atelier_filter_attachments(msg)
        ticket = super().message_new(msg, custom_values=custom_values)
        ticket._atelier_notify_refused_attachments(refused, msg.get("author_id"))
        if msg.get("message_id") not in self.env.cr.cache.get(CACHE_AUTO, ()):
            self.env.cr.cache.setdefault(CACHE_ACK, set()).add(ticket.id)
        return ticket

    @api.private
    def message_update(self, msg, update_vals=None):
        refused = self._atelier_filter_attachments(msg)
        res = super().message_update(msg, update_vals=update_vals)
        self._atelier_notify_refused_attachments(refused, msg.get("author_id"))
        return res

    @api.model
    def _atelier_max_attachment_bytes(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("atelier_helpdesk.max_attachment_mb", "10")
        )
        try:
            return int(float(value) * 1024 * 1024)
        except ValueError:
            return 10 * 1024 * 1024

    @api.model
    def _atelier_filter_attachments(self, msg):
        """Drop attachments over the size limit from an incoming e-mail;
        returns [(name, size)] of the refused ones."""
        limit = self._atelier_max_attachment_bytes()
        kept, refused = [], []
        for attachment in msg.get("attachments") or []:
            content = attachment[1] or b""
            size = len(content.encode() if isinstance(content, str) else content)
            if size > limit:
                refused.append((attachment[0], size))
            else:
                kept.append(attachment)
        if refused:
            msg["attachments"] = kept
            _logger.info(
                "Helpdesk: refused %d oversized attachment(s) in %s",
                len(refused),
                msg.get("message_id"),
            )
        return refused

    def _atelier_refused_attachment_text(self, refused):
        limit_mb = self._atelier_max_attachment_bytes() / (1024 * 1024)
        names = ", ".join(
            f"{name} ({size / (1024 * 1024):.1f} MB)" for name, size in refused
        )
        return self.env._(
            "These files were not accepted because they exceed %(limit)s MB: "
            "%(names)s. Please send a download link or a smaller file.",
            limit=f"{limit_mb:g}",
            names=names,
        )

    def _atelier_notify_refused_attachments(self, refused, author_id):
        if not refused:
            return
        for ticket in self:
            ticket.sudo().message_post(
                body=Markup("<p>%s</p>")
                % ticket._atelier_refused_attachment_text(refused),
                message_type="auto_comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=[author_id] if author_id else [],
            )

    @api.model
    def _detect_loop_sender_domain(self, email_from_normalized):
        """OCA tickets have no primary e-mail field, so Odoo's loop detection
        (too many tickets from one sender) never triggered for them."""
        return [("partner_email", "ilike", email_from_normalized)]

    def _message_post_after_hook(self, message, msg_values):
        res = super()._message_post_after_hook(message, msg_values)
        if self._atelier_is_employee_reply(message):
            self._atelier_register_first_response(message.date or fields.Datetime.now())
        pending = self.env.cr.cache.get(CACHE_ACK)
        if pending and message.message_type == "email" and self.id in pending:
            pending.discard(self.id)
            self._atelier_send_acknowledgement()
        return res

    def _atelier_send_acknowledgement(self):
        default = self.env.ref(
            "atelier_helpdesk.mail_template_ticket_ack", raise_if_not_found=False
        )
        for ticket in self.sudo():
            team = ticket.team_id
            if team and not team.atelier_send_ack:
                continue
            template = team.atelier_ack_template_id or default
            if not template or not ticket.partner_id.email:
                continue
            ticket.message_post_with_source(
                template,
                message_type="auto_comment",
                subtype_xmlid="mail.mt_comment",
                email_layout_xmlid="mail.mail_notification_light",
            )
