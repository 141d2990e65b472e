# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    atelier_academy_enrolment_ids = fields.One2many(
        "atelier.academy.enrolment", "partner_id", string="Academy enrolments"
    )

    def _atelier_card_sections(self):
        sections = super()._atelier_card_sections()
        enrolments = self.env["atelier.academy.enrolment"].search(
            [("partner_id", "=", self.id)], limit=5
        )
        if not enrolments:
            return sections
        progress = enrolments._atelier_path_progress()
        states = dict(enrolments._fields["state"]._description_selection(self.env))
        sections.append(
            {
                "key": "academy",
                "title": self.env._("Courses in progress"),
                "sequence": 60,
                "type": "list",
                "items": [
                    {
                        "label": enrolment.path_id.name,
                        "value": self.env._(
                            "%(progress)s %% — %(state)s",
                            progress=round(progress[enrolment.id]["progress"]),
                            state=states.get(enrolment.state),
                        ),
                        "res_model": enrolment._name,
                        "res_id": enrolment.id,
                    }
                    for enrolment in enrolments
                ],
                "count": len(enrolments),
                "action": False,
            }
        )
        return sections
