# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """A call-back activity marked done closes its missed call."""
        if not self.env.context.get("atelier_cti_no_callback"):
            calls = (
                self.env["atelier.call"]
                .sudo()
                .search(
                    [
                        ("callback_activity_id", "in", self.ids),
                        ("callback_done", "=", False),
                    ]
                )
            )
            if calls:
                calls.with_context(atelier_cti_no_callback=True).write(
                    {"callback_done": True, "callback_at": fields.Datetime.now()}
                )
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
