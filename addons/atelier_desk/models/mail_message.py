# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.tools import html2plaintext


class MailMessage(models.Model):
    _inherit = "mail.message"

    # the contact's timeline reads the e-mails a contact wrote, newest first
    _atelier_author_date_idx = models.Index(
        "(author_id, date DESC, id DESC) WHERE author_id IS NOT NULL"
    )

    def _atelier_timeline_values(self):
        values = {}
        for message in self:
            received = message.message_type == "email"
            record = message.record_name or ""
            title = message.subject or record or self.env._("(no subject)")
            text = " ".join(html2plaintext(message.body or "").split())
            values[message.id] = {
                "title": title,
                "body": (f"{record} · " if record and record != title else "")
                + text[:240],
                "badge": self.env._("Received") if received else self.env._("Sent"),
                "badge_color": "info" if received else "secondary",
                # the conversation, rather than the message alone
                "open_model": message.model or "mail.message",
                "open_id": message.res_id or message.id,
            }
        return values
