# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    atelier_lead_id = fields.Many2one(
        "crm.lead",
        string="Lead",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
    )

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        # a customer who opens a ticket gets no more marketing e-mails
        # until the sequence is restarted by hand
        partners = tickets.partner_id
        emails = [email for email in tickets.mapped("partner_email") if email]
        if partners or emails:
            self.env["crm.lead"]._atelier_business_event(
                "ticket", partners=partners, emails=emails
            )
        return tickets

    def action_atelier_convert_to_lead(self):
        """A sales opportunity spotted in a ticket: one lead for the
        customer (their open one when they have it), linked to the ticket."""
        self.ensure_one()
        self.check_access("write")
        self.env["crm.lead"].check_access("create")
        if not self.atelier_lead_id:
            ticket = self.sudo()
            partner = ticket.partner_id
            lead = self.env["crm.lead"]._atelier_capture(
                {
                    "name": partner.name or ticket.partner_name or ticket.partner_email,
                    "email": ticket.partner_email or partner.email,
                    "phone": partner.phone,
                    "lead_name": ticket.name,
                    "description": ticket.description,
                },
                "ticket",
            )
            ticket.atelier_lead_id = lead
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.atelier_lead_id.id,
            "views": [[False, "form"]],
        }
