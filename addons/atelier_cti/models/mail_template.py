# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class MailTemplate(models.Model):
    _inherit = "mail.template"

    atelier_call_popup = fields.Boolean(
        string="Offer in the call pop-up",
        help='Listed under "Send a template" in the call pop-up, to e-mail '
        "the caller in a few clicks (contacts' templates only).",
    )
