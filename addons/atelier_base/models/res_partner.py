# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models, tools
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools.phone import PhoneNormalizationError, normalize_phone

_logger = logging.getLogger(__name__)

# Writing any of these changes the region or the numbers of a contact
_PHONE_DEPENDENCIES = {"country_id", "parent_id", "company_id"}


class ResPartner(models.Model):
    _inherit = "res.partner"

    mobile = fields.Char()
    atelier_phone_index_ids = fields.One2many(
        "atelier.phone.index", "partner_id", string="Indexed numbers", readonly=True
    )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        # a first contact may push its address (country) up to its parent
        partners._atelier_phone_reindex(relatives=True)
        return partners

    def write(self, vals):
        res = super().write(vals)
        if _PHONE_DEPENDENCIES.intersection(vals):
            # the region changed: relatives synced their address with ours
            self._atelier_phone_reindex(relatives=True)
            if "country_id" in vals:
                # the contact of a company (edited in Contacts, or by the
                # company's own country field): its region changed too
                self.env["res.company"].sudo().with_context(active_test=False).search(
                    [("partner_id", "in", self.ids)]
                )._atelier_phone_region_changed()
        elif set(self._atelier_phone_fields()).intersection(vals):
            # only numbers changed: nobody else's region moved
            self._atelier_phone_reindex()
        return res

    # ------------------------------------------------------------------
    # Phone index
    # ------------------------------------------------------------------
    def _atelier_phone_fields(self):
        """Partner fields holding phone numbers; extend to index more."""
        return [fname for fname in ("phone", "mobile") if fname in self._fields]

    def _atelier_phone_region(self):
        """ISO code used to read a national number typed on this contact."""
        self.ensure_one()
        country = self.country_id or self.parent_id.country_id
        if country.code:
            return country.code
        return self._atelier_company_phone_region(
            (self.company_id or self.env.company).id
        )

    @api.model
    def _atelier_default_phone_region(self):
        return (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("atelier_base.default_phone_region", "FR")
        )

    def _atelier_phone_reindex(self, relatives=False):
        """Rebuild the index of these contacts (and of their relatives).

        Odoo syncs addresses (the country among them) between a contact, its
        parent and its children with ``super().write``, out of reach of our
        ``write``: when the region may have moved, the relatives' did too.
        """
        partners = self.sudo().with_context(active_test=False)
        if relatives:
            partners |= partners.child_ids | partners.parent_id
        self.env["atelier.phone.index"].sudo()._rebuild_for_partners(partners)

    @api.model
    def _atelier_normalize_phone(self, number, region=None):
        """E.164 form of an incoming number; raises PhoneNormalizationError."""
        region = region or self._atelier_company_phone_region(self.env.company.id)
        return normalize_phone(number, region)

    @api.model
    @tools.ormcache("company_id")
    def _atelier_company_phone_region(self, company_id):
        """Region of incoming numbers for a company (cached: on the hot path
        of every incoming call). Cleared when a company's country changes,
        through the company or its contact."""
        company = self.env["res.company"].sudo().browse(company_id)
        return company.country_id.code or self._atelier_default_phone_region()

    @api.model
    def _atelier_find_by_phone(self, number, region=None):
        """Contacts owning ``number`` (any format), companies first.

        Several contacts come back when a switchboard number is shared.
        Garbage returns an empty recordset (and a line in the log).
        """
        try:
            e164 = self._atelier_normalize_phone(number, region).e164
        except PhoneNormalizationError as exc:
            _logger.info("Phone lookup: skipped %r: %s", number, exc)
            return self.browse()
        # Two index-driven queries: the exact match on the narrow index, then
        # the partners (access rules, archived contacts and order applied).
        # A domain on atelier_phone_index_ids.e164 would make PostgreSQL walk
        # the partner table with a correlated sub-query.
        self.env.cr.execute(
            SQL("SELECT partner_id FROM atelier_phone_index WHERE e164 = %s", e164)
        )
        partner_ids = [row[0] for row in self.env.cr.fetchall()]
        if not partner_ids:
            return self.browse()
        return self.search(
            Domain("id", "in", partner_ids),
            order="is_company desc, complete_name, id",
        )

    # ------------------------------------------------------------------
    # Customer card
    # ------------------------------------------------------------------
    def _atelier_card_sections(self):
        """Sections of the customer card; addons extend by inheritance.

        Each section is a dict: ``key``, ``title``, ``sequence``, ``type``
        ("fields" or "list"), ``items`` (dicts with ``label``, ``value`` and
        optionally ``res_model``/``res_id``, ``badge``, ``kind``), ``count``
        and ``action`` (an action dict opening everything, or False).
        """
        self.ensure_one()
        items = []
        if self.parent_id:
            items.append(
                {
                    "label": self.env._("Company"),
                    "value": self.parent_id.name,
                    "res_model": "res.partner",
                    "res_id": self.parent_id.id,
                }
            )
        for fname in self._atelier_phone_fields():
            if self[fname]:
                items.append(
                    {
                        "label": self._fields[fname].get_description(self.env)[
                            "string"
                        ],
                        "value": self[fname],
                        "kind": "phone",
                    }
                )
        if self.email:
            items.append(
                {"label": self.env._("Email"), "value": self.email, "kind": "email"}
            )
        address = ", ".join(part for part in (self.street, self.zip, self.city) if part)
        if address:
            items.append({"label": self.env._("Address"), "value": address})
        return [
            {
                "key": "contact",
                "title": self.env._("Contact"),
                "sequence": 0,
                "type": "fields",
                "items": items,
                "count": len(items),
                "action": False,
            }
        ]

    def atelier_get_card(self):
        """The customer card as JSON, for the partner form and the pop-ups."""
        self.ensure_one()
        self.check_access("read")
        sections = sorted(self._atelier_card_sections(), key=lambda s: s["sequence"])
        return {
            "partner": {
                "id": self.id,
                "name": self.display_name,
                "commercial_id": self.commercial_partner_id.id,
            },
            "sections": sections,
        }

    def _atelier_card_changed(self):
        """What the cards of these contacts show changed: their open cards
        (and those of their company's contacts) fetch their sections again.

        A bus message sent just before the commit to each user of
        ``_atelier_card_audience``, carrying the ids of the contacts that
        concern them only: one per transaction (a savepoint flushes one
        more), however many records changed.
        """
        partners = self.sudo().exists()
        if not partners:
            return
        precommit = self.env.cr.precommit
        pending = precommit.data.get("atelier_base.card_changed")
        if pending is not None:
            pending.update(partners.ids)
            return
        precommit.data["atelier_base.card_changed"] = set(partners.ids)

        @precommit.add
        def notify():
            ids = precommit.data.pop("atelier_base.card_changed", ())
            contacts = self.env["res.partner"].sudo().browse(sorted(ids))
            for user, user_contacts in contacts._atelier_card_audience().items():
                partner_ids = user_contacts | user_contacts.commercial_partner_id
                user._bus_send(
                    "atelier_base/card_changed",
                    {"partner_ids": sorted(partner_ids.ids)},
                )

    def _atelier_card_audience(self):
        """``{user: contacts}``: who may have a card of which of these
        contacts open. The user acting (another tab of theirs), for all of
        them; addons add theirs (the CTI: the users of each contact's calls
        in progress)."""
        user = self.env.user
        if user._is_superuser() or user.share:
            return {}
        return {user: self}
