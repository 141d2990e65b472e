# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierObdBridgeKey(models.AbstractModel):
    """The bridge's new API key, shown once: like Odoo's own
    ``res.users.apikeys.show``, a form on defaults that is never saved."""

    _name = "atelier.obd.bridge.key"
    _description = "New API key of the OBD bridge"

    # the field 'id' is needed for the onchange that returns the defaults
    id = fields.Id()
    key = fields.Char("API key", readonly=True)
    expiration_date = fields.Datetime("Expires on", readonly=True)
    bridge_config = fields.Text("Bridge configuration", readonly=True)
