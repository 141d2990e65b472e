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
