# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL


class AtelierCrmContactKey(models.Model):
    """The e-mail and phone keys of the contacts created by a capture.

    Two forms submitted at the same time with the same address would each
    find no contact and create one. Claiming the key first under a unique
    index serializes them: the second waits for the first and, under
    PostgreSQL's repeatable read, gets a serialization failure, which Odoo
    answers by replaying the request, which then finds the contact.
    """

    _name = "atelier.crm.contact.key"
    _description = "Contact deduplication key"
    _log_access = False

    key = fields.Char(required=True)
    partner_id = fields.Many2one("res.partner", ondelete="cascade", index=True)

    _key_uniq = models.Constraint("UNIQUE (key)", "A key belongs to one contact.")

    @api.model
    def _atelier_claim(self, keys):
        """Claim ``keys``; returns ``{key: partner id}`` of those already
        known (the others are now ours)."""
        keys = sorted(set(filter(None, keys)))
        if not keys:
            return {}
        self.env.cr.execute(
            SQL(
                "INSERT INTO atelier_crm_contact_key (key) "
                "SELECT unnest(%s::varchar[]) ON CONFLICT (key) DO NOTHING",
                keys,
            )
        )
        self.env.cr.execute(
            SQL(
                "SELECT key, partner_id FROM atelier_crm_contact_key "
                "WHERE key = ANY(%s) AND partner_id IS NOT NULL",
                keys,
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _atelier_bind(self, keys, partner):
        keys = [key for key in keys if key]
        if keys:
            self.env.cr.execute(
                SQL(
                    "UPDATE atelier_crm_contact_key SET partner_id = %s "
                    "WHERE key = ANY(%s) AND partner_id IS NULL",
                    partner.id,
                    keys,
                )
            )
