# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models


class AtelierObdSessionDtc(models.Model):
    _inherit = "atelier.obd.session.dtc"

    ticket_ids = fields.One2many(
        "helpdesk.ticket", "atelier_obd_dtc_id", string="Tickets", readonly=True
    )
    ticket_count = fields.Integer(
        string="Ticket count", compute="_compute_ticket_count"
    )

    @api.depends("ticket_ids")
    def _compute_ticket_count(self):
        for line in self:
            line.ticket_count = len(line.ticket_ids)

    def action_atelier_new_ticket(self):
        """A ticket form prefilled from this trouble code, linked to it."""
        self.ensure_one()
        self.check_access("read")
        return self.env["fleet.vehicle"]._atelier_new_ticket_action(
            self._atelier_ticket_defaults()
        )

    def action_atelier_view_tickets(self):
        self.ensure_one()
        self.check_access("read")
        return self.ticket_ids._get_records_action(
            name=self.env._("Tickets"), context=self._atelier_ticket_defaults()
        )

    def _atelier_ticket_line(self):
        """One line of HTML describing this code (code, title, severity)."""
        self.ensure_one()
        severity = self._fields["severity"].convert_to_export(self.severity, self)
        status = self._fields["status"].convert_to_export(self.status, self)
        text = Markup("<strong>%s</strong> %s") % (self.code, self.title or "")
        details = [
            self.env._("severity: %(severity)s", severity=severity) if severity else "",
            self.env._("status: %(status)s", status=status) if status else "",
        ]
        details = ", ".join(part for part in details if part)
        if details:
            text += Markup(" (%s)") % details
        return text

    def _atelier_ticket_defaults(self):
        """Context of a ticket opened from this trouble code."""
        self.ensure_one()
        vehicle = self.vehicle_id
        title = " ".join(part for part in (self.code, self.title) if part)
        if vehicle:
            title = f"{title} - {vehicle.license_plate or vehicle.display_name}"
        lines = [
            Markup("<p>%s</p>") % self._atelier_ticket_line(),
        ]
        if self.description:
            lines.append(Markup("<p>%s</p>") % self.description)
        causes = self._atelier_likely_causes()
        if causes:
            # one item each: the text has one cause a line, which HTML
            # would otherwise run together in one paragraph
            items = Markup("").join(Markup("<li>%s</li>") % cause for cause in causes)
            lines.append(
                Markup("<p>%s</p><ul>%s</ul>") % (self.env._("Likely causes:"), items)
            )
        lines.append(
            Markup("<p>%s</p>")
            % self.env._(
                "Reported by the diagnostic session %(session)s.",
                session=self.session_id.display_name,
            )
        )
        context = {
            "default_name": title,
            "default_description": Markup("").join(lines),
            "default_atelier_obd_dtc_id": self.id,
        }
        context.update(vehicle._atelier_ticket_common_defaults())
        if "default_partner_id" not in context and self.session_id.partner_id:
            context["default_partner_id"] = self.session_id.partner_id.id
        return context
