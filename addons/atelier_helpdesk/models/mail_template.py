# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class MailTemplate(models.Model):
    _inherit = "mail.template"

    atelier_helpdesk_reply = fields.Boolean(
        string="Offer in the ticket reply box",
        help="Listed under Templates next to a ticket's reply box, one click "
        "away (tickets' templates only).",
    )
    atelier_reply_stage_ids = fields.Many2many(
        "helpdesk.ticket.stage",
        "atelier_mail_template_reply_stage_rel",
        "template_id",
        "stage_id",
        string="Suggested at these stages",
        help="A reply template suggested above the reply box of the tickets in "
        "these stages, one click away (the first three by name).",
    )
