# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        """Alex's chat speaks the website's language."""
        return super()._get_translation_frontend_modules_name() + [
            "atelier_knowledge_ai"
        ]
