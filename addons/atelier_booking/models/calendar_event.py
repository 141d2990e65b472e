# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.fields import Domain

# the changes of an event that can turn a technician's free time busy
AGENDA_FIELDS = frozenset(
    {
        "start",
        "stop",
        "start_date",
        "stop_date",
        "allday",
        "show_as",
        "partner_ids",
        "attendee_ids",
        "active",
    }
)
# text of a private event that its outsiders read as "Busy" (Odoo hides it
# on read): they must not find events by it either
PRIVATE_TEXT_FIELDS = frozenset(
    {"name", "display_name", "description", "location", "notes", "videocall_location"}
)


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        self.env["atelier.booking"]._atelier_touch_agendas(
            partner_ids=events.filtered(lambda e: e.show_as == "busy").partner_ids.ids
        )
        return events

    def write(self, vals):
        res = super().write(vals)
        if AGENDA_FIELDS.intersection(vals):
            self.env["atelier.booking"]._atelier_touch_agendas(
                partner_ids=self.partner_ids.ids
            )
        return res

    @api.model
    def _search(self, domain, *args, **kwargs):
        """A private event's text is hidden from those who do not attend it
        (an appointment shows to the technician's colleagues as busy time):
        searching on that text only finds the events one may read."""
        if not self.env.su and not kwargs.get("bypass_access"):
            domain = Domain(domain)
            if any(
                condition.field_expr.split(".", 1)[0] in PRIVATE_TEXT_FIELDS
                for condition in domain.iter_conditions()
            ):
                domain &= (
                    Domain("privacy", "!=", "private")
                    | Domain("user_id", "=", self.env.uid)
                    | Domain("partner_ids", "in", self.env.user.partner_id.ids)
                )
        return super()._search(domain, *args, **kwargs)
