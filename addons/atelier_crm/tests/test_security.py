# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from odoo.addons.atelier_crm import models as crm_models
from odoo.addons.atelier_crm import wizards as crm_wizards

from .common import AtelierCrmCommon, public_method_names

# ORM overrides: Odoo checks the rights before them
ORM = {"create", "write", "unlink", "copy_data", "default_get"}
# every public method the addon adds, with how it checks its caller
PUBLIC = {
    "action_atelier_enrol": "check_access('write') on the leads; so does the wizard",
    "action_atelier_gdpr_erase": "sales managers only",
    "action_atelier_gdpr_export": "sales managers only",
    "action_atelier_mark_mql": "check_access('write') on the leads",
    "action_atelier_recompute_score": "check_access('write') on the leads",
    "action_atelier_start_qualification": "check_access('write') on the lead",
    "action_atelier_view_enrolments": "check_access('read') on the lead",
    "action_enrol": "check_access('write') on the leads",
    "action_enrol_by_rule": "check_access('write') on the sequence",
    "action_erase": "sales managers only",
    "action_stop": "check_access('write') on the enrolments",
    "action_view_enrolments": "check_access('read') on the sequence",
    "action_view_step_figures": "check_access('read') on the sequence",
    "atelier_dashboard": "check_access('read') and record rules",
}


@tagged("post_install", "-at_install")
class TestSecurity(AtelierCrmCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_crm("sec")
        cls.mine = cls._lead("À moi", "a.moi@example.com", user_id=cls.sales1.id)
        cls.team_lead = cls._lead(
            "De l'équipe", "equipe@example.com", user_id=cls.sales2.id
        )
        cls.b2b = cls._lead(
            "Partenaire",
            "partenaire@example.com",
            team_id=cls.team_b2b.id,
            user_id=cls.sales_b2b.id,
        )
        cls.b2b_unassigned = cls._lead(
            "Partenaire libre", "libre@example.com", team_id=cls.team_b2b.id
        )
        cls.orphan = cls._lead("Sans équipe", "orphelin@example.com", team_id=False)

    def test_public_methods_are_the_reviewed_ones(self):
        found = public_method_names((crm_models, crm_wizards), ORM)
        self.assertEqual(
            found, set(PUBLIC), "review the rights check of a new public method"
        )

    def test_salespeople_see_their_leads_and_their_teams(self):
        visible = self.Lead.with_user(self.sales1).search(
            [
                (
                    "id",
                    "in",
                    [
                        self.mine.id,
                        self.team_lead.id,
                        self.b2b.id,
                        self.b2b_unassigned.id,
                        self.orphan.id,
                    ],
                )
            ]
        )
        self.assertEqual(visible, self.mine | self.team_lead | self.orphan)
        with self.assertRaises(AccessError):
            self.b2b.with_user(self.sales1).read(["name"])
        enrolment = self.sequence._atelier_enrol(self.b2b)
        self.assertFalse(
            self.env["atelier.crm.enrolment"]
            .with_user(self.sales1)
            .search([("id", "=", enrolment.id)])
        )
        self.assertFalse(
            self.env["atelier.crm.score.line"]
            .with_user(self.sales1)
            .search([("lead_id", "=", self.b2b.id)])
        )
        self.assertTrue(
            self.Lead.with_user(self.manager).search([("id", "=", self.b2b.id)])
        )

    def test_portal_users_see_none(self):
        for model in (
            "crm.lead",
            "atelier.crm.consent",
            "atelier.crm.sequence",
            "atelier.crm.enrolment",
            "atelier.crm.enrolment.step",
            "atelier.crm.score.line",
            "atelier.crm.optin",
            "atelier.crm.funnel.report",
            "atelier.crm.gdpr.log",
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.portal).search([])

    def test_portal_users_cannot_open_the_actions(self):
        """Even the actions that only open a view refuse a portal user
        (over RPC they would tell a stranger's record exists)."""
        for record, method in (
            (self.mine, "action_atelier_view_enrolments"),
            (self.mine, "action_atelier_enrol"),
            (self.sequence, "action_view_enrolments"),
            (self.sequence, "action_view_step_figures"),
        ):
            with self.subTest(method=method), self.assertRaises(AccessError):
                getattr(record.with_user(self.portal), method)()
        # the salesperson of the lead opens them
        self.assertEqual(
            self.mine.with_user(self.sales1).action_atelier_enrol()["res_model"],
            "atelier.crm.enrol.wizard",
        )
        with self.assertRaises(AccessError):
            self.b2b.with_user(self.sales1).action_atelier_enrol()

    def test_actions_refuse_callers_without_rights(self):
        with self.assertRaises(AccessError):
            self.b2b.with_user(self.sales1).action_atelier_mark_mql()
        with self.assertRaises(AccessError):
            self.b2b.with_user(self.sales1).action_atelier_recompute_score()
        with self.assertRaises(AccessError):
            self.sequence.with_user(self.sales1).action_enrol_by_rule()
        with self.assertRaises(AccessError):
            self.sequence.with_user(self.sales1).write({"name": "Piraté"})
        enrolment = self.sequence._atelier_enrol(self.b2b)
        with self.assertRaises(AccessError):
            enrolment.with_user(self.sales1).action_stop()
        self.assertEqual(enrolment.state, "active")
        wizard = (
            self.env["atelier.crm.enrol.wizard"]
            .with_user(self.sales1)
            .create(
                {"sequence_id": self.sequence.id, "lead_ids": [(6, 0, self.mine.ids)]}
            )
        )
        # the lead went to another team meanwhile
        self.mine.write({"team_id": self.team_b2b.id, "user_id": self.sales_b2b.id})
        with self.assertRaises(AccessError):
            wizard.action_enrol()
        self.assertFalse(self.mine.atelier_enrolment_ids)
        with self.assertRaises(AccessError):
            self.env["atelier.crm.optin"].with_user(self.sales1).search([])

    def test_enrol_by_hand_logs_the_phone_consent(self):
        lead = self._lead(
            "Au téléphone",
            "telephone@example.com",
            consent=False,
            user_id=self.sales1.id,
        )
        wizard = (
            self.env["atelier.crm.enrol.wizard"]
            .with_user(self.sales1)
            .create({"sequence_id": self.sequence.id, "lead_ids": [(6, 0, lead.ids)]})
        )
        with self.assertRaisesRegex(Exception, "not agreed"):
            wizard.action_enrol()
        wizard.consent_given = True
        wizard.action_enrol()
        self.assertEqual(lead.atelier_enrolment_ids.origin, "manual")
        consent = self.Consent.search([("email", "=", "telephone@example.com")])
        self.assertEqual(
            (consent.channel, consent.action, consent.user_id),
            ("phone", "granted", self.sales1),
        )
