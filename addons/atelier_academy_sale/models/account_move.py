# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        """A posted credit note of a package line revokes the package."""
        posted = super()._post(soft=soft)
        credit_notes = posted.filtered(lambda move: move.move_type == "out_refund")
        if credit_notes:
            self.env["atelier.academy.purchase"]._atelier_check_credit_notes(
                credit_notes
            )
        return posted
