# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models


class AtelierAcademyPlacementResult(models.Model):
    _inherit = "atelier.academy.placement.result"

    crm_lead_id = fields.Many2one(
        "crm.lead", string="Lead", readonly=True, ondelete="set null", copy=False
    )

    @api.model
    def _atelier_on_placement_done(self, result):
        """A finished placement test is a lead (or feeds the open one) that
        carries the scores; the taker's sequences stop (they did what the
        J9 e-mail asked)."""
        res = super()._atelier_on_placement_done(result)
        result = result.sudo()
        partner = result.partner_id
        if not partner:
            return res
        self.env["atelier.crm.enrolment"].sudo()._atelier_stop(
            "placement_test",
            partner_ids=partner.ids,
            emails=[partner.email_normalized or result.email],
        )
        scores = result.domain_score_ids
        labels = dict(scores._fields["domain"]._description_selection(self.env))
        lines = [
            Markup("<li>%s : %s %%</li>")
            % (labels.get(score.domain, score.domain), round(score.percentage))
            for score in scores
        ]
        description = Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._(
                "Placement test: %(score)s %% overall, band %(band)s.",
                score=round(result.global_score),
                band=result.band_id.name or "-",
            ),
            Markup("").join(lines),
        )
        lead = (
            self.env["crm.lead"]
            .sudo()
            ._atelier_capture(
                {
                    "name": partner.name,
                    "email": result.email or partner.email,
                    "phone": partner.phone,
                    "profile": "learner",
                    "lead_name": self.env._(
                        "%(who)s - placement test (%(score)s %%)",
                        who=partner.name,
                        score=round(result.global_score),
                    ),
                    "source": self.env.ref("atelier_crm.utm_source_placement"),
                    "description": description,
                    "score_detail": f"{round(result.global_score)} %",
                },
                "placement_test",
            )
        )
        lead.atelier_placement_result_id = result
        result.crm_lead_id = lead
        return res
