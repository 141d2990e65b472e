# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models


class AtelierCareerSubscription(models.Model):
    _inherit = "atelier.career.subscription"

    sale_line_id = fields.Many2one(
        "sale.order.line",
        "Order line",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )

    @api.model
    def _from_order_lines(self, lines):
        """One subscription per order line of a plan's product (once): for
        the buyer when they buy for themselves, for the buyer's company with
        the buyer as its manager when a company's contact buys. One unit is
        one month from today. A buyer without a user account gets a note on
        the order instead."""
        plans = (
            self.env["atelier.career.plan"].sudo().search([("product_id", "!=", False)])
        )
        by_product = {plan.product_id: plan for plan in plans}
        lines = lines.filtered(lambda line: line.product_id in by_product)
        if not lines:
            return self.browse()
        done = set(
            self.sudo()
            .with_context(active_test=False)
            .search([("sale_line_id", "in", lines.ids)])
            .sale_line_id.ids
        )
        today = fields.Date.context_today(self)
        created = self.browse()
        for line in lines.filtered(lambda line: line.id not in done):
            order = line.order_id
            partner = order.partner_id
            user = partner.with_context(active_test=False).user_ids[:1]
            plan = by_product[line.product_id]
            if not user:
                order.message_post(
                    body=self.env._(
                        "%(plan)s: %(partner)s has no user account yet, so no "
                        "subscription was opened. Give them portal access, then "
                        "create the subscription in Career.",
                        plan=plan.name,
                        partner=partner.display_name,
                    )
                )
                continue
            months = max(1, int(line.product_uom_qty))
            values = {
                "plan_id": plan.id,
                "sale_line_id": line.id,
                "date_start": today,
                "date_end": today + relativedelta(months=months, days=-1),
            }
            company = partner.commercial_partner_id
            if company != partner and company.is_company:
                values.update(
                    holder="company",
                    company_partner_id=company.id,
                    manager_user_id=user.id,
                    member_ids=[Command.link(user.id)],
                )
            else:
                values.update(holder="learner", user_id=user.id)
            created |= self.create(values)
        return created
