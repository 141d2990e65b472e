# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import fields, models

DONE_STATES = ("confirmed", "done")


class AtelierBooking(models.Model):
    _inherit = "atelier.booking"

    crm_lead_id = fields.Many2one(
        "crm.lead",
        string="Lead",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
    )

    def _confirm(self, approved=False, checked=False):
        res = super()._confirm(approved=approved, checked=checked)
        self.sudo().filtered(lambda b: b.state == "confirmed")._atelier_crm_booked()
        return res

    def unlink(self):
        # a lead that only a deleted booking made, still a plain lead, goes
        # with it (a cancelled booking keeps its lead: that is a story)
        leads = self.sudo().crm_lead_id.filtered(
            lambda lead: lead.type == "lead" and lead.atelier_channel == "booking"
        )
        res = super().unlink()
        leads.exists().filtered(lambda lead: not lead.atelier_booking_ids).unlink()
        return res

    def _atelier_crm_booked(self):
        """A booking is a business event: the client's sequences stop. A new
        client's first booking also becomes a lead (or feeds their open one)."""
        Lead = self.env["crm.lead"].sudo()
        Enrolment = self.env["atelier.crm.enrolment"].sudo()
        public = self.env.ref("base.public_partner")
        for booking in self:
            partner = booking.partner_id
            if not partner or partner == public:
                continue
            earlier = self.sudo().search_count(
                [
                    ("partner_id", "child_of", partner.commercial_partner_id.id),
                    ("state", "in", DONE_STATES),
                    ("id", "!=", booking.id),
                ]
            )
            customer = Lead.search_count(
                [("partner_id", "=", partner.id), ("won_status", "=", "won")]
            )
            if earlier or customer:
                Lead._atelier_business_event(
                    "booking", partners=partner, detail=booking.name
                )
                continue
            Enrolment._atelier_stop(
                "booking", partner_ids=partner.ids, emails=[partner.email_normalized]
            )
            answers = [
                (self.env._("Vehicle"), booking.answer_vehicle),
                (self.env._("Request"), booking.answer_description),
            ]
            lead = Lead._atelier_capture(
                {
                    "name": partner.name,
                    "email": partner.email,
                    "phone": partner.phone,
                    "lead_name": booking.name,
                    "source": self.env.ref("atelier_crm.utm_source_booking"),
                    "expected_revenue": booking.price,
                    "description": Markup("").join(
                        Markup("<p><b>%s</b>: %s</p>") % (label, value)
                        for label, value in answers
                        if value
                    )
                    or False,
                    "score_detail": booking.name,
                },
                "booking",
            )
            booking.crm_lead_id = lead
            lead._atelier_crm_booking_owner()
