# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.atelier_crm.tools.regions import REGIONS

from .atelier_beta_signup import FUEL_TYPES, PROFILES


class AtelierBetaBatchQuota(models.Model):
    """At most ``places`` people of one fuel type, region or profile in a
    batch (0: none of them)."""

    _name = "atelier.beta.batch.quota"
    _description = "Beta batch quota"
    _order = "batch_id, dimension, places desc, id"

    batch_id = fields.Many2one(
        "atelier.beta.batch", required=True, index=True, ondelete="cascade"
    )
    dimension = fields.Selection(
        [("fuel_type", "Fuel type"), ("region", "Region"), ("profile", "Profile")],
        required=True,
        default="fuel_type",
    )
    fuel_type = fields.Selection(FUEL_TYPES)
    region = fields.Selection(REGIONS)
    profile = fields.Selection(PROFILES)
    value = fields.Char(compute="_compute_value", store=True)
    places = fields.Integer(required=True, default=0)
    drawn_count = fields.Integer("Drawn", compute="_compute_drawn_count")

    _places_positive = models.Constraint(
        "CHECK (places >= 0)", "A quota cannot be negative."
    )
    _value_uniq = models.Constraint(
        "UNIQUE (batch_id, dimension, value)", "One quota per value and batch."
    )

    @api.depends("dimension", "fuel_type", "region", "profile")
    def _compute_value(self):
        for quota in self:
            quota.value = quota[quota.dimension] if quota.dimension else False

    @api.depends("batch_id.invitation_ids.state")
    def _compute_drawn_count(self):
        for quota in self:
            invitations = quota.batch_id.invitation_ids.filtered(
                lambda inv: inv.state != "cancelled"
            )
            dimension, value = quota.dimension, quota.value
            quota.drawn_count = sum(
                1 for inv in invitations if inv.signup_id[dimension] == value
            )

    @api.constrains("dimension", "fuel_type", "region", "profile")
    def _check_value(self):
        for quota in self:
            if not quota.value:
                raise ValidationError(self.env._("Choose the value this quota is for."))
