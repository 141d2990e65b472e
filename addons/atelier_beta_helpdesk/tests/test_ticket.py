# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from odoo.addons.atelier_beta.tests.common import AtelierBetaCommon
from odoo.addons.atelier_beta.tests.test_feedback import image_bytes
from odoo.addons.atelier_beta.tests.test_tours import BetaTourMixin


@tagged("post_install", "-at_install")
class TestTicket(AtelierBetaCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_beta("hd")
        cls.tester = cls._tester(cls._signup("Hélène Bogue", ip="192.0.2.210"))

    def _post(self, kind, name, **kw):
        return self.Feedback._atelier_post(
            self.tester,
            {"kind": kind, "name": name, "description": "Détails du problème."},
            **kw,
        )

    def test_accepted_bug_becomes_a_ticket(self):
        Dashboard = self.env["atelier.beta.dashboard"].sudo()
        before = Dashboard._atelier_kpis()["feedback"]["tickets"]
        bug = self._post("bug", "Plantage au scan", screenshot=image_bytes("PNG"))
        self.assertFalse(bug.ticket_id)  # posting creates nothing
        bug.with_user(self.team).action_accept()
        ticket = bug.ticket_id
        self.assertTrue(ticket)
        self.assertEqual(ticket.name, "[Beta] Plantage au scan")
        self.assertEqual(ticket.partner_id, self.tester.partner_id)
        self.assertEqual(
            ticket.team_id, self.env.ref("atelier_beta_helpdesk.helpdesk_team_beta")
        )
        self.assertEqual(
            ticket.type_id, self.env.ref("atelier_beta_helpdesk.helpdesk_type_beta_bug")
        )
        self.assertEqual(ticket.atelier_beta_feedback_id, bug)
        self.assertIn("Détails du problème.", ticket.description)
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(attachment.mimetype, "image/png")
        self.assertEqual(Dashboard._atelier_kpis()["feedback"]["tickets"], before + 1)

    def test_an_agent_outside_the_beta_team_copies_the_ticket(self):
        """The link to the feedback is for the beta team: an agent who is not
        in it still duplicates the ticket (the copy has no link)."""
        bug = self._post("bug", "Écran figé")
        bug.with_user(self.team).action_accept()
        agent = new_test_user(
            self.env,
            login="hd_agent_copy",
            groups="helpdesk_mgmt.group_helpdesk_user",
        )
        copy = bug.ticket_id.with_user(agent).copy()
        self.assertEqual(copy.partner_id, self.tester.partner_id)
        self.assertFalse(copy.sudo().atelier_beta_feedback_id)

    def test_ideas_praise_and_declined_bugs_make_no_ticket(self):
        idea = self._post("idea", "Thème clair")
        idea.with_user(self.team).action_accept()
        praise = self._post("praise", "Bravo")
        praise.with_user(self.team).action_accept()
        declined = self._post("bug", "Pas un bogue")
        declined.with_user(self.team).action_decline()
        self.assertFalse((idea | praise | declined).ticket_id)


@tagged("post_install", "-at_install")
class TestTicketTour(BetaTourMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_beta("hdtour")
        cls._setup_smtp()
        cls.signup = cls._signup(
            "Jules Invité", "jules.invite@example.com", ip="192.0.2.220"
        )
        batch = cls.Batch.sudo().create({"name": "Vague tour", "size": 1})
        cls.Invitation.sudo().create({"signup_id": cls.signup.id, "batch_id": batch.id})
        batch.action_send()
        cls.manager.write(
            {"group_ids": [(4, cls.env.ref("helpdesk_mgmt.group_helpdesk_user").id)]}
        )

    def test_invited_tester_posts_a_bug_the_manager_accepts_it(self):
        link = self._link("jules.invite@example.com", "/beta/invitation/")
        self.start_tour(link, "atelier_beta_invitation_tour")
        self.assertEqual(self.signup.state, "tester")
        user = self.signup.user_id
        self.assertTrue(user.share)
        bug = self.Feedback.search([("author_id", "=", self.signup.id)])
        self.assertEqual((bug.kind, bug.state, user.karma), ("bug", "new", 0))
        self.start_tour(
            f"/odoo/action-atelier_beta.atelier_beta_feedback_action/{bug.id}",
            "atelier_beta_helpdesk_ticket_tour",
            login=self.manager.login,
        )
        self.assertEqual(bug.state, "accepted")
        self.assertTrue(bug.ticket_id)
        self.assertEqual(bug.ticket_id.partner_id, self.signup.partner_id)
        self.assertEqual(user.karma, 50)
