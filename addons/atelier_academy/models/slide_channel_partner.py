# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class SlideChannelPartner(models.Model):
    _inherit = "slide.channel.partner"

    def _post_completion_update_hook(self, completed=True):
        res = super()._post_completion_update_hook(completed=completed)
        if completed:
            # the next course of a path may open, a certificate may be due
            self.env["atelier.academy.enrolment"].sudo()._atelier_progress_changed(
                self.partner_id
            )
        return res
