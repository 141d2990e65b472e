# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models


class AtelierCrmGdprLog(models.Model):
    """Who exported or erased whose data, when, from where."""

    _name = "atelier.crm.gdpr.log"
    _description = "Personal data request"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Contact", ondelete="set null", index=True
    )
    action = fields.Selection(
        [("export", "Export"), ("erase", "Erasure")], required=True
    )
    channel = fields.Selection(
        [("backoffice", "Back office"), ("portal", "Portal (own request)")],
        required=True,
    )
    user_id = fields.Many2one(
        "res.users", string="Done by", default=lambda self: self.env.user
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    summary = fields.Text()

    @api.model
    def _atelier_scrub_messages(self, messages):
        """Empty the bodies, subjects and attachments of ``messages``."""
        messages = messages.sudo()
        if not messages:
            return 0
        messages.attachment_ids.unlink()
        messages.tracking_value_ids.unlink()
        messages.write(
            {
                "body": Markup("<p>%s</p>") % self.env._("[anonymised]"),
                "subject": False,
                "email_from": False,
                "reply_to": False,
            }
        )
        return len(messages)
