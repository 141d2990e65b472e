# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _atelier_coaching_type(self):
        """The appointment type learners book this coach's sessions with,
        created on first use (one hour, not published on /book)."""
        self.ensure_one()
        Type = self.env["atelier.appointment.type"].sudo()
        appointment_type = Type.with_context(active_test=False).search(
            [("atelier_academy_coach_id", "=", self.id)], limit=1
        )
        if appointment_type:
            return appointment_type
        coach = self.sudo()
        Type = Type.with_context(lang=coach.lang or self.env.lang)
        return Type.create(
            {
                "name": Type.env._("Coaching session with %(coach)s", coach=coach.name),
                "atelier_academy_coach_id": coach.id,
                "company_id": coach.company_id.id,
                "technician_ids": [Command.set(coach.ids)],
                "assignment": "client",
                "duration": 60,
                "slot_step": 60,
                "min_notice_hours": 24.0,
                "max_horizon_days": 60,
                "location_type": "premises",
                "ask_description": "optional",
                "confirmation": "auto",
                "is_published": False,
            }
        )
