# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.phone import PhoneNormalizationError, normalize_phone

_logger = logging.getLogger(__name__)


class AtelierPhoneIndex(models.Model):
    """Every phone number of every contact, once more, in E.164.

    A narrow side table rather than a stored field on ``res.partner``: a
    contact has several numbers (phone, mobile, and whatever other addons
    add), the lookup is one exact match on a btree index that returns partner
    ids without touching the wide partner table, and the whole index can be
    rebuilt in bulk without triggering the partner's computed fields.
    """

    _name = "atelier.phone.index"
    _description = "Phone number index"
    _order = "e164, partner_id"
    _rec_name = "e164"

    partner_id = fields.Many2one(
        "res.partner", required=True, ondelete="cascade", index=True, readonly=True
    )
    field_name = fields.Char(
        string="Source field",
        required=True,
        readonly=True,
        help="Technical name of the partner field the number comes from.",
    )
    number = fields.Char(string="Number as typed", readonly=True)
    e164 = fields.Char(string="E.164", required=True, index=True, readonly=True)
    extension = fields.Char(readonly=True)

    _partner_field_uniq = models.Constraint(
        "UNIQUE (partner_id, field_name)",
        "A contact field is indexed once.",
    )

    @api.model
    def _rebuild_for_partners(self, partners):
        """Replace the index rows of ``partners`` from their current numbers.

        Bulk SQL on purpose: this runs on every create/write of a contact and
        on imports of thousands of rows.
        """
        partners = partners.with_context(active_test=False).exists()
        if not partners:
            return 0
        rows = []
        phone_fields = partners._atelier_phone_fields()
        for partner in partners:
            region = partner._atelier_phone_region()
            for fname in phone_fields:
                raw = partner[fname]
                if not raw:
                    continue
                try:
                    normalized = normalize_phone(raw, region)
                except PhoneNormalizationError as exc:
                    _logger.info(
                        "Phone index: skipped %s of contact %s (%r): %s",
                        fname,
                        partner.id,
                        raw,
                        exc,
                    )
                    continue
                rows.append(
                    (partner.id, fname, raw, normalized.e164, normalized.extension)
                )
        self._write_rows(partners.ids, rows)
        return len(rows)

    @api.model
    def _write_rows(self, partner_ids, rows):
        cr = self.env.cr
        cr.execute(
            SQL(
                "DELETE FROM atelier_phone_index WHERE partner_id = ANY(%s)",
                partner_ids,
            )
        )
        uid = self.env.uid
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            values = SQL(", ").join(
                SQL(
                    "(%s, %s, %s, %s, %s, %s, %s, "
                    "now() at time zone 'UTC', now() at time zone 'UTC')",
                    *row,
                    uid,
                    uid,
                )
                for row in chunk
            )
            cr.execute(
                SQL(
                    "INSERT INTO atelier_phone_index (partner_id, field_name, number, "
                    "e164, extension, create_uid, write_uid, create_date, write_date) "
                    "VALUES %s",
                    values,
                )
            )
        self.invalidate_model()

    @api.model
    def _rebuild_all(self, batch_size=5000):
        """Rebuild the whole index (after install, or from the settings)."""
        Partner = self.env["res.partner"].with_context(active_test=False)
        self.env.cr.execute(SQL("SELECT id FROM res_partner ORDER BY id"))
        ids = [row[0] for row in self.env.cr.fetchall()]
        total = 0
        for start in range(0, len(ids), batch_size):
            batch = Partner.browse(ids[start : start + batch_size])
            total += self._rebuild_for_partners(batch)
            batch.invalidate_recordset()
        return total
