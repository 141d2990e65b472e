# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class AtelierCrmSequence(models.Model):
    """A nurturing sequence: ordered steps sent on their day, in business
    hours, to the leads enrolled, until a business event stops them."""

    _name = "atelier.crm.sequence"
    _description = "Nurturing sequence"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    step_ids = fields.One2many(
        "atelier.crm.sequence.step", "sequence_id", string="Steps"
    )
    step_count = fields.Integer(compute="_compute_step_count")
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Business hours",
        required=True,
        default=lambda self: self.env.company.resource_calendar_id,
        help="E-mails go out only within these hours, read in the contact's "
        "time zone; public holidays of the calendar are skipped.",
    )
    default_tz = fields.Char(
        string="Default time zone",
        default="Europe/Paris",
        required=True,
        help="Time zone of the contacts who have none.",
    )
    utm_campaign_id = fields.Many2one(
        "utm.campaign",
        string="Link campaign",
        ondelete="restrict",
        help="Campaign of the links clicked in this sequence's e-mails.",
    )
    responsible_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        help="Gets the activities of leads that have no salesperson.",
    )
    # enrolment rule
    rule_active = fields.Boolean(
        string="Enrol by rule",
        help="Every open lead matching the rule and whose contact agreed to "
        "receive advice e-mails is enrolled by the scheduler.",
    )
    rule_source_ids = fields.Many2many(
        "utm.source",
        string="Sources",
        help="Leads from one of these sources (any source when empty).",
    )
    rule_tag_ids = fields.Many2many(
        "crm.tag", string="Tags", help="Leads with one of these tags (any when empty)."
    )
    rule_min_score = fields.Float(string="Minimum score")
    rule_max_age_days = fields.Integer(
        string="Leads created within (days)",
        default=30,
        help="Older leads are not enrolled by the rule (0: no limit).",
    )
    enrolment_ids = fields.One2many("atelier.crm.enrolment", "sequence_id")
    enrolled_count = fields.Integer(compute="_compute_figures")
    active_count = fields.Integer(compute="_compute_figures")
    stopped_count = fields.Integer(compute="_compute_figures")
    done_count = fields.Integer(compute="_compute_figures")

    @api.depends("step_ids")
    def _compute_step_count(self):
        for sequence in self:
            sequence.step_count = len(sequence.step_ids)

    def _compute_figures(self):
        counts = {
            (sequence.id, state): count
            for sequence, state, count in self.env["atelier.crm.enrolment"]._read_group(
                [("sequence_id", "in", self.ids)], ["sequence_id", "state"], ["__count"]
            )
        }
        for sequence in self:
            sequence.active_count = counts.get((sequence.id, "active"), 0)
            sequence.stopped_count = counts.get((sequence.id, "stopped"), 0)
            sequence.done_count = counts.get((sequence.id, "done"), 0)
            sequence.enrolled_count = (
                sequence.active_count + sequence.stopped_count + sequence.done_count
            )

    @api.model_create_multi
    def create(self, vals_list):
        sequences = super().create(vals_list)
        for sequence in sequences.filtered(lambda s: not s.utm_campaign_id):
            sequence.utm_campaign_id = self.env["utm.campaign"].create(
                {"name": sequence.name}
            )
        return sequences

    def action_view_enrolments(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "atelier_crm.atelier_crm_enrolment_action"
        )
        action["domain"] = [("sequence_id", "=", self.id)]
        action["context"] = {"default_sequence_id": self.id}
        return action

    def action_view_step_figures(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "atelier_crm.atelier_crm_enrolment_step_action"
        )
        action["domain"] = [("sequence_id", "=", self.id)]
        return action

    def action_enrol_by_rule(self):
        """Run the enrolment rule now (managers)."""
        self.check_access("write")
        count = self.sudo()._atelier_enrol_by_rule()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(count)s lead(s) enrolled.", count=count),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ------------------------------------------------------------------
    # Enrolment
    # ------------------------------------------------------------------
    def _atelier_first_step(self):
        self.ensure_one()
        return self.step_ids.sorted(lambda s: (s.day_offset, s.sequence, s.id))[:1]

    def _atelier_enrol(self, leads, origin="manual", now=None):
        """Enrol ``leads`` (one enrolment per lead and sequence, ever).

        Returns the new enrolments; a lead already enrolled is left alone.
        """
        self.ensure_one()
        if not self.step_ids:
            raise UserError(self.env._("This sequence has no step."))
        Enrolment = self.env["atelier.crm.enrolment"].sudo()
        leads = leads.sudo().filtered("active")
        if not leads:
            return Enrolment
        now = now or fields.Datetime.now()
        existing = set(
            Enrolment.search(
                [("sequence_id", "=", self.id), ("lead_id", "in", leads.ids)]
            ).lead_id.ids
        )
        first = self._atelier_first_step()
        vals_list = [
            {
                "sequence_id": self.id,
                "lead_id": lead.id,
                "origin": origin,
                "start_at": now,
                "tz": lead._atelier_contact_tz(self.default_tz),
                "next_step_id": first.id,
                "next_due": Enrolment._atelier_due(now, first),
            }
            for lead in leads
            if lead.id not in existing
        ]
        return Enrolment.create(vals_list)

    def _atelier_enrol_by_rule(self, now=None):
        """Set-based enrolment of every lead matching the rule (one INSERT per
        sequence; the unique key keeps a lead from being enrolled twice)."""
        now = now or fields.Datetime.now()
        total = 0
        for sequence in self.filtered(lambda s: s.rule_active and s.step_ids):
            total += self.env["atelier.crm.enrolment"]._atelier_insert_by_rule(
                sequence, now
            )
        return total

    @api.model
    def _atelier_cron_enrol(self):
        sequences = self.search([("rule_active", "=", True)])
        return sequences._atelier_enrol_by_rule()

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for sequence, vals in zip(self, vals_list, strict=True):
            vals["name"] = self.env._("%(name)s (copy)", name=sequence.name)
            vals["utm_campaign_id"] = False
            vals["step_ids"] = [
                Command.create(step.copy_data({"utm_source_id": False})[0])
                for step in sequence.step_ids
            ]
        return vals_list
