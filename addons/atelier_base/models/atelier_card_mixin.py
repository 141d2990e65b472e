# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class AtelierCardMixin(models.AbstractModel):
    """Records shown on the customer card (tickets, bookings…).

    Creating, changing or deleting one tells the open customer cards of its
    contact to fetch their sections again (a bus message sent once per
    transaction, see ``res.partner._atelier_card_changed``). An addon that
    adds a card section for a model adds this mixin to it::

        class HelpdeskTicket(models.Model):
            _inherit = ["helpdesk.ticket", "atelier.card.mixin"]

    and names the contact field in ``_atelier_card_partner_field`` when it
    is not ``partner_id``.
    """

    _name = "atelier.card.mixin"
    _description = "Shown on the customer card"

    _atelier_card_partner_field = "partner_id"

    def _atelier_card_partners(self):
        return self[self._atelier_card_partner_field]

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._atelier_card_partners()._atelier_card_changed()
        return records

    def write(self, vals):
        before = self._atelier_card_partners()
        res = super().write(vals)
        (before | self._atelier_card_partners())._atelier_card_changed()
        return res

    def unlink(self):
        self._atelier_card_partners()._atelier_card_changed()
        return super().unlink()
