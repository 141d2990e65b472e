# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class AtelierObdSession(models.Model):
    _inherit = "atelier.obd.session"

    def _ingest_store(self, batch_id, header, payload):
        """A batch with at least one accepted item is a real use of the app
        by the vehicle's owner: the first one activates a beta tester, each
        one marks the day of the session as an active day."""
        answer = super()._ingest_store(batch_id, header, payload)
        if answer.get("accepted"):
            session = self.browse(answer["session_id"])
            if session.partner_id:
                self.env["atelier.beta.signup"]._atelier_record_use(
                    session.partner_id, session.started_at
                )
        return answer
