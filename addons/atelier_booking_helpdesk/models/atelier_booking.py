# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from odoo.addons.atelier_helpdesk.models.atelier_satisfaction_mixin import (
    SURVEY_STATES,
)


class AtelierBooking(models.Model):
    """Appointments done get the satisfaction follow-up of closed tickets:
    a request two days later, one reminder at seven days, never twice."""

    _name = "atelier.booking"
    # the mixin first: it must come before mail.thread in the MRO
    _inherit = ["atelier.satisfaction.mixin", "atelier.booking"]

    atelier_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Ticket",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        readonly=True,
    )
    # atelier.satisfaction.mixin's state is not required: atelier_booking
    # inserts rows in SQL (concurrency tests, lapsed holds); empty means "none".
    # Its labels are declared here too, so that this addon owns their ids and
    # its translations: atelier_helpdesk's are loaded before this addon exists.
    atelier_survey_state = fields.Selection(selection_add=SURVEY_STATES)

    # ------------------------------------------------------------------
    # Satisfaction follow-up
    # ------------------------------------------------------------------
    def _atelier_survey_closing_fields(self):
        return {"state"}

    def _atelier_survey_is_closed(self):
        self.ensure_one()
        return self.state == "done"

    def _atelier_survey_wanted(self):
        self.ensure_one()
        # a guest booking made with a client's e-mail is not the client's
        # until they confirm it: no e-mail to them about it
        return self.partner_confirmed and self.partner_id != self.env.ref(
            "base.public_partner"
        )

    @api.model
    def _atelier_survey_templates(self):
        return (
            self.env.ref("atelier_booking_helpdesk.mail_template_booking_survey"),
            self.env.ref(
                "atelier_booking_helpdesk.mail_template_booking_survey_reminder"
            ),
        )

    # ------------------------------------------------------------------
    # Rating
    # ------------------------------------------------------------------
    def _rating_get_operator(self):
        if self.technician_id.partner_id:
            return self.technician_id.partner_id
        return super()._rating_get_operator()
