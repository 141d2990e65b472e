# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.tests import new_test_user, tagged

from .common import AcademySaleCommon


@tagged("post_install", "-at_install")
class TestTeamSeats(AcademySaleCommon):
    """The buying garage names its learners from the portal: 8 seats."""

    _prefix = "ateam"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.colleague = new_test_user(
            cls.env,
            login="ateam_colleague",
            password="ateam_colleague",
            name="Collègue Du Garage",
            email="colleague@garage.example",
            groups="base.group_portal",
        )
        cls.colleague.partner_id.parent_id = cls.garage

    def _invite(self, purchase, name, email):
        url = f"/my/academy/team/{purchase.id}"
        # the form's token while seats are left; a forged post after that
        token = (
            self._csrf(url) if purchase.seats_left else http.Request.csrf_token(self)
        )
        response = self.url_open(
            f"{url}/invite",
            data={"csrf_token": token, "name": name, "email": email},
            allow_redirects=False,
        )
        self.env.invalidate_all()
        return response

    def _learners(self, purchase):
        return purchase.enrolment_ids.partner_id

    def test_buyer_invites_eight_and_the_ninth_is_refused(self):
        order = self._order(self.buyer.partner_id, self.product_garages)
        self.assertEqual(order.amount_total, 1490.0)
        self._pay(order)
        purchase = order.atelier_academy_purchase_ids
        self.assertEqual(purchase.state, "active")
        self.assertEqual(purchase.seat_limit, 8)
        self.assertFalse(purchase.enrolment_ids, "the team is named afterwards")
        team_mail = self.env["mail.mail"].search(
            [("model", "=", "atelier.academy.purchase"), ("res_id", "=", purchase.id)]
        )
        # the buyer never logged in yet: a sign-up link that lands on the team
        self.assertIn("/web/signup?", team_mail.body_html)
        self.assertIn(
            f"redirect=%2Fmy%2Facademy%2Fteam%2F{purchase.id}", team_mail.body_html
        )

        self.authenticate(self.buyer.login, self.buyer.login)
        # "My training" shows on the portal home of the buyer
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["atelier_academy_count"]}
        )
        self.assertEqual(counters["atelier_academy_count"], 1)
        dashboard = self.url_open("/my/academy")
        self.assertTrue(
            f'href="/my/academy/team/{purchase.id}"' in dashboard.text,
            "the dashboard links to the team page",
        )
        for index in range(8):
            response = self._invite(
                purchase, f"Salarié {index}", f"Salarie.{index}@Garage.example "
            )
            self.assertEqual(response.status_code, 303, response.text[:300])
        self.assertEqual(purchase.seats_taken, 8)
        learners = self._learners(purchase)
        self.assertEqual(len(learners), 8)
        self.assertEqual(learners.parent_id, self.garage)
        self.assertIn("salarie.3@garage.example", learners.mapped("email"))
        self.assertTrue(all(p.user_ids._is_portal() for p in learners))
        enrolments = purchase.enrolment_ids
        self.assertEqual(set(enrolments.mapped("state")), {"active"})
        self.assertEqual(enrolments.coach_id, purchase.coach_id)
        self.assertEqual(set(enrolments.mapped("hours_sold")), {20.0})
        invitations = self.env["mail.mail"].search(
            [
                ("model", "=", "atelier.academy.enrolment"),
                ("res_id", "in", enrolments.ids),
            ]
        )
        self.assertEqual(len(invitations), 8)
        self.assertTrue(all("/web/signup?" in m.body_html for m in invitations))

        partners_before = self.env["res.partner"].search_count([])
        users_before = self.env["res.users"].search_count([])
        refused = self._invite(purchase, "Neuvième", "neuvieme@garage.example")
        self.assertEqual(refused.status_code, 409)
        self.assertTrue("All 8 seats of this package are taken" in refused.text)
        self.assertEqual(purchase.seats_taken, 8)
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before)
        self.assertEqual(self.env["res.users"].search_count([]), users_before)
        page = self.url_open(f"/my/academy/team/{purchase.id}")
        self.assertTrue("o_atelier_team_full" in page.text)
        self.assertFalse("o_atelier_team_invite" in page.text)

    def test_bad_invitations_write_nothing(self):
        order = self._order(self.buyer.partner_id, self.product_garages)
        self._pay(order)
        purchase = order.atelier_academy_purchase_ids
        self.authenticate(self.buyer.login, self.buyer.login)
        partners_before = self.env["res.partner"].search_count([])
        bad = self._invite(purchase, "Sans Adresse", "pas-une-adresse")
        self.assertEqual(bad.status_code, 400)
        self.assertTrue("valid e-mail address" in bad.text)
        nameless = self._invite(purchase, "  ", "quelqu.un@garage.example")
        self.assertEqual(nameless.status_code, 400)
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before)
        self.assertEqual(
            self._invite(purchase, "Léa", "lea@garage.example").status_code, 303
        )
        twice = self._invite(purchase, "Léa encore", "LEA@garage.example")
        self.assertEqual(twice.status_code, 409)
        self.assertTrue("already invited" in twice.text)
        self.assertEqual(purchase.seats_taken, 1)
        # an existing account is enrolled as it is, without a new user
        existing = self._invite(purchase, "Lina", self.learner.email)
        self.assertEqual(existing.status_code, 303)
        self.assertIn(self.learner.partner_id, self._learners(purchase))

    def test_only_the_buyer_manages_the_team(self):
        order = self._order(self.buyer.partner_id, self.product_garages)
        self._pay(order)
        purchase = order.atelier_academy_purchase_ids
        url = f"/my/academy/team/{purchase.id}"
        for login in (self.colleague.login, self.learner.login):
            self.authenticate(login, login)
            self.assertEqual(self.url_open(url).status_code, 404)
            token = http.Request.csrf_token(self)
            response = self.url_open(
                f"{url}/invite",
                data={
                    "csrf_token": token,
                    "name": "Intrus",
                    "email": "intrus@x.example",
                },
                allow_redirects=False,
            )
            self.assertEqual(response.status_code, 404)
        self.assertFalse(purchase.enrolment_ids)
        # an individual package has no team page
        own = self._order(self.learner.partner_id)
        self._pay(own)
        self.authenticate(self.learner.login, self.learner.login)
        self.assertEqual(
            self.url_open(
                f"/my/academy/team/{own.atelier_academy_purchase_ids.id}"
            ).status_code,
            404,
        )
