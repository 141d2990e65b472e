# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..tools.regions import REGIONS

ENGAGEMENT_EVENTS = [
    ("form_submitted", "Filled in the contact form"),
    ("guide_downloaded", "Downloaded a guide"),
    ("email_opened", "Opened an e-mail"),
    ("email_clicked", "Clicked in an e-mail"),
    ("reply", "Replied"),
    ("call", "Called us"),
    ("placement_test", "Took the placement test"),
    ("booking", "Booked an appointment"),
    ("payment", "Paid"),
]
PROFILES = [
    ("learner", "Learner"),
    ("individual", "Car owner"),
    ("garage", "Garage (professional)"),
    ("supplier", "Parts supplier"),
    ("marketplace", "Marketplace"),
]
VEHICLE_TYPES = [
    ("car", "Car"),
    ("van", "Van"),
    ("motorbike", "Motorbike"),
    ("truck", "Truck"),
    ("fleet", "Fleet"),
]


class AtelierCrmScoreRule(models.Model):
    """A reason to give points: a profile that fits, or something the
    contact did. The rule's name is the reason shown on the score line."""

    _name = "atelier.crm.score.rule"
    _description = "Scoring rule"
    _order = "kind, sequence, id"

    name = fields.Char(string="Reason", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        [("fit", "Fit (profile)"), ("engagement", "Engagement")],
        required=True,
        default="engagement",
    )
    points = fields.Float(required=True)
    event = fields.Selection(ENGAGEMENT_EVENTS, help="Engagement rules: the event.")
    once_per_lead = fields.Boolean(
        help="Counted the first time only (a guide downloaded twice counts once)."
    )
    max_per_lead = fields.Integer(
        string="At most (times)",
        help="Engagement counted at most this many times per lead (0: no limit).",
    )
    profile = fields.Selection(PROFILES, help="Fit rules: this profile.")
    region = fields.Selection(REGIONS, help="Fit rules: contacts of this region.")
    vehicle_type = fields.Selection(VEHICLE_TYPES, help="Fit rules: this vehicle.")

    @api.model
    def _atelier_fit_rules(self):
        return self.search([("kind", "=", "fit")])

    def _atelier_matches(self, lead):
        """Whether a fit rule applies to ``lead`` (every criterion set holds)."""
        self.ensure_one()
        criteria = {
            "profile": lead.atelier_profile,
            "region": lead.atelier_region,
            "vehicle_type": lead.atelier_vehicle_type,
        }
        wanted = {name: self[name] for name in criteria if self[name]}
        return bool(wanted) and all(
            criteria[name] == value for name, value in wanted.items()
        )
