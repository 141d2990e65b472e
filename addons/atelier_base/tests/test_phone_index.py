# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo.tests import tagged

from ..models import atelier_phone_index as index_module
from ..models import res_partner as partner_module
from .common import AtelierBaseCase

CALLER = "+33612345678"


@tagged("post_install", "-at_install")
class TestPhoneIndex(AtelierBaseCase):
    def test_every_stored_format_is_found_from_e164(self):
        formats = [
            "06 12 34 56 78",
            "06.12.34.56.78",
            "+33 6 12 34 56 78",
            "+33 (0)6 12 34 56 78",
            "0033612345678",
            "612345678",
            "06 12 34 56 78 poste 4",
            "06-12-34-56-78",
        ]
        partners = self.Partner.create(
            [
                {"name": f"Client {i}", "phone": raw, "country_id": self.fr.id}
                for i, raw in enumerate(formats)
            ]
        )
        self.assertEqual(self.find(CALLER), partners)
        # and from any other format of the incoming number
        self.assertEqual(self.find("06 12 34 56 78"), partners)
        self.assertEqual(self.find("0033 6 12 34 56 78"), partners)
        with_ext = partners.filtered(lambda p: "poste" in p.phone)
        self.assertEqual(with_ext.atelier_phone_index_ids.extension, "4")

    def test_plain_odoo_misses_national_formats(self):
        """Why the index exists: phone_mobile_search misses '06 …' in E.164."""
        national = self._partner(
            "National", phone="06 12 34 56 78", country_id=self.fr.id
        )
        intl = self._partner("Intl", phone="+33 6 12 34 56 78", country_id=self.fr.id)
        plain = self.Partner.search([("phone_mobile_search", "=", CALLER)])
        self.assertIn(intl, plain)
        self.assertNotIn(national, plain)
        self.assertEqual(self.find(CALLER), national | intl)

    def test_foreign_numbers_use_the_contacts_country(self):
        be = self._partner("Bruxelles", phone="02 555 12 12", country_id=self.be.id)
        ch = self._partner("Genève", phone="022 555 12 12", country_id=self.ch.id)
        uk = self._partner("London", phone="020 7946 0958", country_id=self.uk.id)
        self.assertEqual(self.find("+3225551212"), be)
        self.assertEqual(self.find("+41225551212"), ch)
        self.assertEqual(self.find("+442079460958"), uk)

    def test_region_falls_back_to_parent_then_company(self):
        company = self._partner("Flotte BXL", is_company=True, country_id=self.be.id)
        # a delivery address keeps no country of its own: the parent's applies
        depot = self._partner(
            "Dépôt", parent_id=company.id, type="delivery", mobile="0470 12 34 56"
        )
        depot.country_id = False
        self.assertEqual(self.find("+32470123456"), depot)
        # no country anywhere: the database company's (France here)
        loner = self._partner("Sans pays", phone="04 72 10 20 30")
        self.assertFalse(loner.country_id)
        self.assertEqual(self.find("+33472102030"), loner)

    def test_parent_country_change_reindexes_children(self):
        company = self._partner("London Cars", is_company=True, country_id=self.fr.id)
        employee = self._partner("Oliver", parent_id=company.id, phone="020 7946 0958")
        self.assertFalse(self.find("+442079460958"))
        company.country_id = self.uk
        self.assertEqual(employee.country_id, self.uk)
        self.assertEqual(self.find("+442079460958"), employee)

    def test_number_change_leaves_relatives_alone(self):
        company = self._partner(
            "Garage", is_company=True, phone="04 72 10 20 30", country_id=self.fr.id
        )
        employee = self._partner("Jean", parent_id=company.id, mobile="06 12 34 56 78")
        row = employee.atelier_phone_index_ids
        company.phone = "04 72 10 20 31"
        # the employee's row was not rewritten: same row, same number
        self.assertEqual(employee.atelier_phone_index_ids, row)
        self.assertEqual(self.find("+33472102031"), company)
        company.country_id = self.be
        # a region change rebuilds the relatives synced with it
        self.assertNotEqual(employee.atelier_phone_index_ids, row)

    def test_database_company_country_change_reindexes(self):
        loner = self._partner("Sans pays", phone="020 7946 0958")
        self.assertFalse(self.find("+442079460958"))
        self.env.company.country_id = self.uk
        self.assertEqual(self.find("+442079460958"), loner)

    def test_company_without_country_reads_the_default_region(self):
        """No country on the company (a database created without one):
        national numbers are read with the setting, French by default, and
        a new setting applies at once, however it was written."""
        ICP = self.env["ir.config_parameter"].sudo()
        self.env.company.country_id = False
        ICP.set_param("atelier_base.default_phone_region", "FR")
        normalize = self.Partner._atelier_normalize_phone
        self.assertEqual(normalize("04 72 10 20 30").e164, "+33472102030")
        loner = self._partner("Sans pays", phone="04 72 10 20 30")
        self.assertEqual(self.find("+33472102030"), loner)
        # written straight into the parameter (technical menu, script)
        ICP.set_param("atelier_base.default_phone_region", "BE")
        self.assertEqual(normalize("02 555 12 12").e164, "+3225551212")
        # the company's own country wins over the setting
        self.env.company.country_id = self.ch
        self.assertEqual(normalize("022 555 12 12").e164, "+41225551212")
        # or the country of its contact, edited in Contacts
        self.env.company.partner_id.country_id = self.uk
        self.assertEqual(normalize("020 7946 0958").e164, "+442079460958")

    def test_write_clear_and_unlink_keep_the_index_exact(self):
        partner = self._partner("Client", phone="06 12 34 56 78", country_id=self.fr.id)
        partner.phone = "07 81 22 33 44"
        self.assertFalse(self.find(CALLER))
        self.assertEqual(self.find("+33781223344"), partner)
        partner.mobile = "06 12 34 56 78"
        self.assertEqual(self.find(CALLER), partner)
        self.assertEqual(len(partner.atelier_phone_index_ids), 2)
        partner.write({"phone": False, "mobile": False})
        self.assertFalse(partner.atelier_phone_index_ids)
        self.assertFalse(self.find(CALLER))
        partner.mobile = "06 12 34 56 78"
        partner_id = partner.id
        partner.unlink()
        count = self.env["atelier.phone.index"].search_count(
            [("partner_id", "=", partner_id)]
        )
        self.assertEqual(count, 0)
        self.assertFalse(self.find(CALLER))

    def test_country_change_rereads_the_number(self):
        partner = self._partner("Client", phone="020 7946 0958", country_id=self.fr.id)
        self.assertFalse(partner.atelier_phone_index_ids)
        partner.country_id = self.uk
        self.assertEqual(partner.atelier_phone_index_ids.e164, "+442079460958")

    def test_shared_switchboard_companies_first_then_people(self):
        company = self._partner(
            "Garage Dupont",
            is_company=True,
            phone="04 72 10 20 30",
            country_id=self.fr.id,
        )
        zoe = self._partner("Zoé", parent_id=company.id, phone="04.72.10.20.30")
        adam = self._partner("Adam", parent_id=company.id, phone="+33 4 72 10 20 30")
        other = self._partner(
            "Autre SARL", is_company=True, phone="0033472102030", country_id=self.fr.id
        )
        found = self.find("+33472102030")
        self.assertEqual(found.ids, [other.id, company.id, adam.id, zoe.id])

    def test_garbage_is_skipped_and_logged(self):
        with patch.object(index_module._logger, "info") as log_info:
            partner = self._partner("Illisible", phone="rappeler demain", mobile="12")
        self.assertFalse(partner.atelier_phone_index_ids)
        reasons = [str(call.args[-1]) for call in log_info.call_args_list]
        self.assertEqual(reasons, ["contains letters", "too short"])
        # a lookup with garbage answers nothing, without raising
        with patch.object(partner_module._logger, "info") as log_info:
            self.assertFalse(self.find("abc"))
        self.assertEqual(log_info.call_count, 1)
        self.assertFalse(self.find(""))
        self.assertFalse(self.find("06 12 AB 56 78"))

    def test_import_indexes_numbers(self):
        result = self.Partner.load(
            ["name", "phone", "country_id/id"],
            [
                ["Import 1", "06 12 34 56 78", "base.fr"],
                ["Import 2", "+32 2 555 12 12", "base.be"],
                ["Import 3", "n/a", "base.fr"],
            ],
        )
        self.assertFalse(result["messages"])
        imported = self.Partner.browse(result["ids"])
        self.assertEqual(self.find(CALLER), imported[0])
        self.assertEqual(self.find("+3225551212"), imported[1])
        self.assertFalse(imported[2].atelier_phone_index_ids)

    def test_merge_moves_numbers_to_the_survivor(self):
        dst = self._partner(
            "Jean Dupont", email="jean@example.com", country_id=self.fr.id
        )
        src = self._partner(
            "Jean Dupont (doublon)",
            email="jean@example.com",
            phone="06 12 34 56 78",
            country_id=self.fr.id,
        )
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge((dst | src).ids, dst)
        self.assertFalse(src.exists())
        self.assertEqual(self.find(CALLER), dst)
        self.assertEqual(dst.atelier_phone_index_ids.number, "06 12 34 56 78")

    def test_archived_contacts_are_not_callers(self):
        partner = self._partner("Ancien", phone="06 12 34 56 78", country_id=self.fr.id)
        partner.action_archive()
        self.assertFalse(self.find(CALLER))
        partner.action_unarchive()
        self.assertEqual(self.find(CALLER), partner)

    def test_rebuild_all(self):
        partner = self._partner("Client", phone="06 12 34 56 78", country_id=self.fr.id)
        self.env.cr.execute("DELETE FROM atelier_phone_index")
        self.env["atelier.phone.index"].invalidate_model()
        self.assertFalse(self.find(CALLER))
        settings = self.env["res.config.settings"].create({})
        settings.action_atelier_rebuild_phone_index()
        self.assertEqual(self.find(CALLER), partner)
        self.assertGreaterEqual(settings.atelier_phone_index_count, 1)

    def test_index_is_a_real_btree(self):
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'atelier_phone_index'"
        )
        defs = " ".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn("(e164)", defs)
        self.assertIn("UNIQUE", defs)
