# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .common import AtelierCrmCommon


@tagged("post_install", "-at_install")
class TestFunnel(AtelierCrmCommon, TransactionCase):
    """The dashboard's figures against a fixture counted by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_crm("fun")
        env = cls.env
        cls.funnel_team = env["crm.team"].create({"name": "Funnel test"})
        env["crm.team.member"].create(
            {"crm_team_id": cls.funnel_team.id, "user_id": cls.sales1.id}
        )
        cls.site = env["utm.source"].create({"name": "Site"})
        cls.fair = env["utm.source"].create({"name": "Salon"})
        cls.spring = env["utm.campaign"].create(
            {"title": "Printemps", "atelier_cost": 300.0}
        )
        cls.show = env["utm.campaign"].create({"title": "Salon 2027"})
        now = fields.Datetime.now()
        leads = []
        for index in range(1, 11):
            site = index <= 6
            leads.append(
                cls._lead(
                    f"Funnel {index}",
                    f"funnel{index}@example.com",
                    team_id=cls.funnel_team.id,
                    source_id=(cls.site if site else cls.fair).id,
                    campaign_id=(cls.spring if site else cls.show).id,
                    atelier_referral_code="PARRAIN-1" if index in (1, 3) else False,
                    expected_revenue=890 if index == 3 else 0,
                )
            )
        cls.leads = leads
        l1, l2, l3, _l4, _l5, l6, l7, l8, _l9, _l10 = leads
        for lead in (l1, l2, l3, l7):
            lead.atelier_mql_date = now
        for lead in (l2, l3):
            lead.atelier_sql_date = now
        l3.action_set_won()
        l8.action_set_won()
        l6.action_set_lost()
        # time in stage: a stay of 2 days and one of 4 days in "New"; one
        # lead in "Qualified" for a day now
        Log = env["atelier.crm.stage.log"]
        Log.search([("lead_id", "in", [lead.id for lead in leads])]).unlink()
        new = env.ref("atelier_crm.crm_stage_individuals_new")
        qualified = env.ref("atelier_crm.crm_stage_individuals_qualified")
        Log.create(
            [
                {
                    "lead_id": l1.id,
                    "stage_id": new.id,
                    "date_in": now - timedelta(days=5),
                    "date_out": now - timedelta(days=3),
                    "days": 2.0,
                },
                {
                    "lead_id": l2.id,
                    "stage_id": new.id,
                    "date_in": now - timedelta(days=6),
                    "date_out": now - timedelta(days=2),
                    "days": 4.0,
                },
                {
                    "lead_id": l2.id,
                    "stage_id": qualified.id,
                    "date_in": now - timedelta(days=1),
                },
            ]
        )

    def dashboard(self, user=None):
        report = self.env["atelier.crm.funnel.report"]
        if user:
            report = report.with_user(user)
        return report.atelier_dashboard(team_id=self.funnel_team.id)

    def test_totals_and_conversion(self):
        data = self.dashboard(self.manager)
        self.assertEqual(
            data["totals"],
            {
                "lead_count": 10,
                "mql_count": 5,
                "sql_count": 3,
                "won_count": 2,
                "lost_count": 1,
            },
        )
        self.assertEqual(
            data["rates"],
            {
                "lead_to_mql": 50.0,
                "mql_to_sql": 60.0,
                "sql_to_won": 66.7,
                "lead_to_won": 20.0,
            },
        )

    def test_per_source_campaign_and_referral(self):
        data = self.dashboard(self.manager)
        by_source = {row["name"]: row for row in data["by_source"]}
        self.assertEqual(
            {
                k: by_source["Site"][k]
                for k in (
                    "lead_count",
                    "mql_count",
                    "sql_count",
                    "won_count",
                    "conversion",
                )
            },
            {
                "lead_count": 6,
                "mql_count": 3,
                "sql_count": 2,
                "won_count": 1,
                "conversion": 16.7,
            },
        )
        self.assertEqual(
            {
                k: by_source["Salon"][k]
                for k in (
                    "lead_count",
                    "mql_count",
                    "sql_count",
                    "won_count",
                    "conversion",
                )
            },
            {
                "lead_count": 4,
                "mql_count": 2,
                "sql_count": 1,
                "won_count": 1,
                "conversion": 25.0,
            },
        )
        by_campaign = {row["name"]: row for row in data["by_campaign"]}
        self.assertEqual(by_campaign["Printemps"]["cost_per_lead"], 50.0)
        self.assertEqual(by_campaign["Printemps"]["cost_per_customer"], 300.0)
        self.assertIsNone(by_campaign["Salon 2027"]["cost_per_lead"])
        by_referral = {row["name"]: row for row in data["by_referral"]}
        self.assertEqual(
            (
                by_referral["PARRAIN-1"]["lead_count"],
                by_referral["PARRAIN-1"]["won_count"],
            ),
            (2, 1),
        )
        # the pivot reads the same figures
        [(won_revenue,)] = self.env["atelier.crm.funnel.report"]._read_group(
            [("team_id", "=", self.funnel_team.id)], [], ["won_revenue:sum"]
        )
        self.assertEqual(won_revenue, 890)

    def test_time_in_stage(self):
        rows = {row["name"]: row for row in self.dashboard(self.manager)["stage_times"]}
        new = rows["New (Individuals & training)"]
        self.assertEqual((new["avg_days"], new["left_count"]), (3.0, 2))
        qualified = rows["Qualified (Individuals & training)"]
        self.assertEqual(
            (qualified["current_count"], qualified["current_avg_days"]), (1, 1.0)
        )

    def test_figures_follow_the_access_rules(self):
        # a salesperson of another team sees none of these leads
        self.assertEqual(self.dashboard(self.sales_b2b)["totals"]["lead_count"], 0)
        # a member of the team sees them all (unassigned leads of his team)
        self.assertEqual(self.dashboard(self.sales1)["totals"]["lead_count"], 10)
        with self.assertRaises(AccessError):
            self.dashboard(self.portal)
