# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from lxml import etree

from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase, tagged
from odoo.tools import file_open
from odoo.tools.convert import xml_import

from .common import crm_salesperson

# the addons of the desk whose demo tells Claire's day, in install order
DEMO_ADDONS = (
    "atelier_base",
    "atelier_helpdesk",
    "atelier_booking",
    "atelier_cti",
    "atelier_desk",
)


@tagged("post_install", "-at_install")
class TestDemoDay(TransactionCase):
    """The demo day as shipped (the demo files of the desk's addons, loaded
    here since tests install no demo data): one story in French, and
    nothing forgotten at the end of it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context={"tracking_disable": True})
        # records committed by other addons' concurrency tests are not the
        # demo's: the day must add nothing to what was there before
        cls.before = env["atelier.desk.pending"].search([])
        for module in DEMO_ADDONS:
            for path in get_manifest(module)["demo"]:
                with file_open(f"{module}/{path}", "rb") as demo:
                    root = etree.parse(demo).getroot()
                # OCA's own demo records (archived by atelier_helpdesk's
                # demo) are not installed here: their archiving is skipped
                for node in root.xpath("//record[contains(@id, '.')]"):
                    owner = node.get("id").split(".")[0]
                    if not owner.startswith("atelier"):
                        node.getparent().remove(node)
                xml_import(
                    env, module, {}, "init", noupdate=True, xml_filename=path
                ).parse(root)
            if module == "atelier_base":
                crm_salesperson(env, env.ref("atelier_base.user_claire"))
        cls.claire = env.ref("atelier_base.user_claire")
        cls.gaetan = env.ref("atelier_base.user_gaetan")

    def test_nothing_forgotten_at_the_end_of_the_day(self):
        pending = self.env["atelier.desk.pending"].with_user(self.claire)
        self.assertFalse(
            (pending.search([]) - self.before).mapped("display_name"),
            "Rien d'oublié must be empty at the end of the demo day",
        )

    def test_the_day_has_every_kind_of_request(self):
        Ticket = self.env["helpdesk.ticket"]
        open_tickets = Ticket.search([("closed", "=", False)])
        types = self.env["helpdesk.ticket.type"].search(
            [
                (
                    "id",
                    "in",
                    [
                        self.env.ref(f"atelier_helpdesk.helpdesk_type_{t}").id
                        for t in (
                            "electrical",
                            "after_sales",
                            "quote",
                            "technician",
                            "training",
                            "diagnostic",
                        )
                    ],
                )
            ]
        )
        self.assertFalse(types - open_tickets.type_id, "an open ticket of every type")
        self.assertTrue(all(open_tickets.mapped("user_id")))

    def test_the_week_has_appointments(self):
        bookings = self.env["atelier.booking"].search(
            [("technician_id", "=", self.gaetan.id), ("state", "=", "confirmed")]
        )
        self.assertGreaterEqual(len(bookings), 5)
        self.assertIn("client", bookings.mapped("atelier_booked_by"))
        self.assertIn("desk", bookings.mapped("atelier_booked_by"))
        martine = self.env.ref("atelier_base.partner_leroy_martine")
        self.assertIn(martine, bookings.partner_id)

    def test_the_clients_and_the_site_are_french(self):
        clients = self.env["ir.model.data"].search_count(
            [("module", "=", "atelier_base"), ("model", "=", "res.partner")]
        )
        self.assertGreaterEqual(clients, 30)
        company = self.env.ref("base.main_company")
        self.assertTrue(company.logo)
        for website in self.env["website"].search([("company_id", "=", company.id)]):
            self.assertEqual(website.name, company.name)
            # the company's logo, not the "Your logo" placeholder
            self.assertEqual(website.logo, company.logo)
        menus = self.env["website.menu"].search([])
        # "Book an appointment" is "Prendre rendez-vous" in atelier_booking's
        # French
        self.assertIn("/book", menus.mapped("url"))
        self.assertNotIn("Home", menus.mapped("name"))
        self.assertIn("Accueil", menus.mapped("name"))
        home = etree.tostring(
            self.env.ref("website.homepage")._get_combined_arch(), encoding="unicode"
        )
        self.assertIn("Prendre rendez-vous", home)
        footer = etree.tostring(
            self.env.ref("website.layout")._get_combined_arch(), encoding="unicode"
        )
        self.assertNotIn("We are a team of passionate people", footer)
