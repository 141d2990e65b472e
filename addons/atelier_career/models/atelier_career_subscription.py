# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AtelierCareerSubscription(models.Model):
    """A plan bought by a learner, or by a company for its team."""

    _name = "atelier.career.subscription"
    _description = "Career subscription"
    _order = "date_start desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    plan_id = fields.Many2one("atelier.career.plan", required=True, index=True)
    holder = fields.Selection(
        [("learner", "A learner"), ("company", "A company for its team")],
        required=True,
        default="learner",
    )
    user_id = fields.Many2one(
        "res.users", "Learner", index="btree_not_null", ondelete="cascade"
    )
    company_partner_id = fields.Many2one(
        "res.partner", "Company", index="btree_not_null", ondelete="cascade"
    )
    manager_user_id = fields.Many2one(
        "res.users",
        "Team manager",
        index="btree_not_null",
        help="Sees the team's sessions in the manager space.",
    )
    member_ids = fields.Many2many("res.users", string="Team members")
    date_start = fields.Date(required=True, default=fields.Date.context_today)
    date_end = fields.Date()
    active = fields.Boolean(default=True)

    @api.depends("plan_id", "user_id", "company_partner_id")
    def _compute_name(self):
        for subscription in self:
            holder = subscription.user_id.name or subscription.company_partner_id.name
            subscription.name = f"{subscription.plan_id.name or ''} - {holder or ''}"

    @api.constrains("holder", "user_id", "company_partner_id", "manager_user_id")
    def _check_holder(self):
        for subscription in self:
            if subscription.holder == "learner" and not subscription.user_id:
                raise ValidationError(self.env._("A learner's plan names the learner."))
            if subscription.holder == "company" and not (
                subscription.company_partner_id and subscription.manager_user_id
            ):
                raise ValidationError(
                    self.env._("A company's plan names the company and its manager.")
                )

    def _is_current(self, today=None):
        today = today or fields.Date.context_today(self)
        return (
            self.active
            and self.date_start <= today
            and (not self.date_end or self.date_end >= today)
        )

    @api.model
    def _for_user(self, user):
        """The best current subscription covering ``user`` (empty if none)."""
        subscriptions = (
            self.sudo()
            .search(
                [
                    "|",
                    ("user_id", "=", user.id),
                    ("member_ids", "in", user.ids),
                ]
            )
            .filtered(lambda s: s._is_current())
        )
        return subscriptions.sorted(lambda s: (-s.plan_id.sequence, -s.id))[:1]
