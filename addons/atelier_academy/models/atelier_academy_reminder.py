# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierAcademyReminder(models.Model):
    """A reminder sent to a stalled learner (drop-out prevention evidence)."""

    _name = "atelier.academy.reminder"
    _description = "Learner reminder"
    _order = "create_date desc, id desc"

    enrolment_id = fields.Many2one(
        "atelier.academy.enrolment", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(
        related="enrolment_id.partner_id", store=True, index=True, string="Learner"
    )
    kind = fields.Selection(
        [("dropout", "No activity")], required=True, default="dropout"
    )
    last_activity = fields.Datetime(readonly=True)
    email_to = fields.Char(readonly=True)
    subject = fields.Char(readonly=True)
    coach_activity = fields.Boolean(
        "Coach activity created", readonly=True, help="Kept when the activity is done."
    )
    mail_id = fields.Many2one("mail.mail", readonly=True, ondelete="set null")
    activity_id = fields.Many2one("mail.activity", readonly=True, ondelete="set null")
