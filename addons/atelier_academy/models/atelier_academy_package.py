# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class AtelierAcademyPackage(models.Model):
    """A coaching package: paths, coaching hours, duration and seats.

    The sale glue links a product to it and calls
    ``atelier.academy.enrolment._atelier_enrol`` when a payment is confirmed.
    """

    _name = "atelier.academy.package"
    _description = "Coaching package"
    _order = "sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        [("individual", "Individual"), ("team", "Team")],
        required=True,
        default="individual",
    )
    description = fields.Text()
    duration_weeks = fields.Integer("Duration (weeks)", default=12)
    coaching_hours = fields.Float("Coaching hours", default=0.0)
    seat_limit = fields.Integer(
        "Seats per purchase",
        compute="_compute_seat_limit",
        store=True,
        readonly=False,
        help="Learners enrolled at most per purchase (origin); 0 means no limit.",
    )
    path_ids = fields.Many2many(
        "atelier.academy.path",
        "atelier_academy_package_path_rel",
        "package_id",
        "path_id",
        string="Paths",
    )
    coach_ids = fields.Many2many(
        "res.users",
        "atelier_academy_package_coach_rel",
        "package_id",
        "user_id",
        string="Coaches",
        domain=lambda self: [
            ("all_group_ids", "in", self.env.ref("atelier_base.group_coach").ids)
        ],
        help="A new learner gets the least busy of these coaches.",
    )
    enrolment_ids = fields.One2many("atelier.academy.enrolment", "package_id")

    _seat_limit_positive = models.Constraint(
        "CHECK (seat_limit >= 0)", "The seat limit cannot be negative."
    )

    @api.depends("kind")
    def _compute_seat_limit(self):
        for package in self:
            package.seat_limit = 8 if package.kind == "team" else 1

    def _atelier_offer_url(self):
        """Where a learner buys this package; the sale glue returns its page."""
        self.ensure_one()
        return False

    def _atelier_pick_coach(self):
        """The least busy coach of the package (active enrolments)."""
        coaches = self.coach_ids
        if not coaches:
            return self.env["res.users"]
        counts = dict(
            self.env["atelier.academy.enrolment"]
            .sudo()
            ._read_group(
                [("coach_id", "in", coaches.ids), ("state", "=", "active")],
                ["coach_id"],
                ["__count"],
            )
        )
        return min(coaches, key=lambda coach: (counts.get(coach, 0), coach.id))
