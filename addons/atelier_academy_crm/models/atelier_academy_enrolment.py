# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class AtelierAcademyEnrolment(models.Model):
    _inherit = "atelier.academy.enrolment"

    @api.model_create_multi
    def create(self, vals_list):
        enrolments = super().create(vals_list)
        # a package is bought (the academy enrols on a confirmed payment):
        # the learner's sequences stop, the sale converts
        paid = enrolments.filtered("package_id")
        if paid:
            self.env["crm.lead"]._atelier_business_event(
                "payment", partners=paid.partner_id, detail=paid[:1].package_id.name
            )
        return enrolments
