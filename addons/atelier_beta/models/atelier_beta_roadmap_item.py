# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models

ROADMAP_STATES = [
    ("considered", "Under consideration"),
    ("planned", "Planned"),
    ("in_progress", "In progress"),
    ("done", "Released"),
    ("declined", "Not planned"),
]


class AtelierBetaRoadmapItem(models.Model):
    """An item of the beta's roadmap, fed by accepted ideas. Published items
    are on the public roadmap page; a change of status is sent to the
    authors and the voters of its ideas."""

    _name = "atelier.beta.roadmap.item"
    _description = "Beta roadmap item"
    _inherit = ["mail.thread"]
    _order = "sequence, id desc"

    name = fields.Char(required=True, tracking=True)
    description = fields.Text()
    sequence = fields.Integer(default=10)
    state = fields.Selection(
        ROADMAP_STATES, default="considered", required=True, tracking=True, index=True
    )
    is_published = fields.Boolean("Public", default=False, tracking=True, index=True)
    feedback_ids = fields.One2many(
        "atelier.beta.feedback", "roadmap_item_id", readonly=True
    )
    vote_count = fields.Integer(compute="_compute_vote_count")
    feedback_count = fields.Integer(compute="_compute_vote_count")

    @api.depends("feedback_ids.vote_count")
    def _compute_vote_count(self):
        for item in self:
            item.vote_count = sum(item.feedback_ids.mapped("vote_count"))
            item.feedback_count = len(item.feedback_ids)

    def write(self, vals):
        before = {item.id: item.state for item in self} if "state" in vals else {}
        res = super().write(vals)
        changed = self.filtered(
            lambda item: item.id in before and before[item.id] != item.state
        )
        changed._atelier_notify_status()
        return res

    def _atelier_notify_status(self):
        for item in self.sudo():
            feedback = item.feedback_ids
            audience = feedback._atelier_audience()
            if not audience:
                continue
            status = dict(self._fields["state"]._description_selection(self.env))[
                item.state
            ]
            body = Markup("<p>%s</p>") % self.env._(
                'The roadmap item "%(title)s", which you asked for or voted for, '
                "is now: %(status)s.",
                title=item.name,
                status=status,
            )
            item.message_notify(
                partner_ids=audience.ids,
                subject=self.env._("Beta roadmap: %(title)s", title=item.name),
                body=body,
                email_layout_xmlid="mail.mail_notification_light",
            )
