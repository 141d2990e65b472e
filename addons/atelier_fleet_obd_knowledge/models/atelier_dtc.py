# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierDtc(models.Model):
    _inherit = "atelier.dtc"

    kb_times_met = fields.Integer(
        "Times met in the workshop",
        compute="_compute_kb_times_met",
        help="Diagnostic sessions of the workshop that reported this code.",
    )

    def _compute_kb_times_met(self):
        # a count over every client's sessions: no session is shown, so the
        # public page may show it (sudo: visitors cannot read sessions)
        counts = dict(
            self.env["atelier.obd.session.dtc"]
            .sudo()
            ._read_group([("dtc_id", "in", self.ids)], ["dtc_id"], ["__count"])
        )
        for dtc in self:
            dtc.kb_times_met = counts.get(dtc.sudo(), 0)
