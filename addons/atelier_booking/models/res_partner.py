# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import api, fields, models
from odoo.fields import Domain

STATE_BADGES = {"held": "warning", "confirmed": "success"}


class ResPartner(models.Model):
    _inherit = "res.partner"

    atelier_booking_ids = fields.One2many(
        "atelier.booking", "partner_id", string="Bookings"
    )
    atelier_booking_count = fields.Integer(
        string="Appointments", compute="_compute_atelier_booking_count"
    )

    def _compute_atelier_booking_count(self):
        counts = dict(
            self.env["atelier.booking"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.atelier_booking_count = counts.get(partner, 0)

    def _atelier_upcoming_bookings_domain(self):
        return (
            Domain("partner_id", "child_of", self.commercial_partner_id.id)
            & Domain("state", "in", ("held", "confirmed"))
            & Domain("stop", ">=", fields.Datetime.now())
        )

    def _atelier_card_sections(self):
        sections = super()._atelier_card_sections()
        if not self.env["atelier.booking"].has_access("read"):
            return sections
        bookings = self.env["atelier.booking"].search(
            self._atelier_upcoming_bookings_domain(), order="start", limit=5
        )
        count = self.env["atelier.booking"].search_count(
            self._atelier_upcoming_bookings_domain()
        )
        tz = self.env.user.tz or "Europe/Paris"
        states = dict(
            self.env["atelier.booking"]
            ._fields["state"]
            ._description_selection(self.env)
        )
        sections.append(
            {
                "key": "appointments",
                "title": self.env._("Next appointments"),
                "sequence": 30,
                "type": "list",
                "items": [
                    {
                        "label": booking._local_start(
                            tz=tz, dt_format="EEE d MMM HH:mm"
                        ),
                        "value": f"{booking.appointment_type_id.name} · "
                        f"{booking.technician_id.name}",
                        "res_model": "atelier.booking",
                        "res_id": booking.id,
                        "badge": states.get(booking.state),
                        "badge_color": STATE_BADGES.get(booking.state, "info"),
                    }
                    for booking in bookings
                ],
                "count": count,
                "action": self.action_atelier_view_bookings() if count else False,
            }
        )
        return sections

    def action_atelier_view_bookings(self):
        self.ensure_one()
        self.env["atelier.booking"]._atelier_check_role(
            ("atelier_base.group_assistant", "atelier_base.group_technician")
        )
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "atelier_booking.atelier_booking_action"
        )
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        action["view_mode"] = "list,calendar,form"
        action["views"] = [(False, "list"), (False, "calendar"), (False, "form")]
        return action

    def action_atelier_book(self, **wizard_values):
        """The booking wizard of this client; ``wizard_values`` are written on
        the wizard (the record a booking is made from, a description...)."""
        self.ensure_one()
        self.check_access("read")
        self.env["atelier.booking.wizard"].check_access("create")
        # created right away so that its free slots are saved lines the
        # assistant books with one click
        wizard = self.env["atelier.booking.wizard"].create(
            {**wizard_values, "partner_id": self.id}
        )
        wizard._onchange_slots()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Book an appointment"),
            "res_model": "atelier.booking.wizard",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.id},
        }

    def _atelier_address_lines(self):
        """The lines of this contact's postal address, in the format of its
        country (Odoo's ``_display_address``), without its empty parts."""
        self.ensure_one()
        return clean_address_lines(self._display_address(without_company=True))

    @api.model
    def _atelier_booking_guest_partner(self, name, email, phone=None):
        """``(contact, confirmed)`` of a booking made without logging in.

        The e-mail of an existing contact links the booking to that contact
        for the desk, unconfirmed: anybody can type anybody's e-mail, so the
        booking acts for that client only once they confirm it from their
        mailbox. Otherwise a new contact is created for the guest (a phone
        number alone proves nothing either)."""
        email = (email or "").strip().lower()
        partners = self.sudo()
        if email:
            match = partners.search(
                [("email", "=ilike", email)], order="is_company, id", limit=1
            )
            if match:
                return match, False
        partner = partners.create(
            {"name": name, "email": email or False, "phone": phone or False}
        )
        return partner, True


def clean_address_lines(text):
    """Non-empty lines of an address text, each without stray commas or
    blanks (a format's separators around empty parts)."""
    lines = []
    for line in (text or "").splitlines():
        line = re.sub(r"\s*,\s*(,\s*)*", ", ", " ".join(line.split()))
        line = line.strip(" ,")
        if line:
            lines.append(line)
    return lines
