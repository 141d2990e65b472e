# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestLanding(HttpCase):
    """A new user signs in with the login they were given and lands in Atelier."""

    def test_login_page_takes_a_login(self):
        page = self.url_open("/web/login")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Email or login", page.text)
        self.assertNotIn(">Email</label>", page.text)

    def test_atelier_is_the_first_app(self):
        """Without a home action the web client opens the first app."""
        root = self.env.ref("atelier_base.atelier_menu_root")
        for group in (
            "atelier_base.group_assistant",
            "atelier_base.group_technician",
            "atelier_base.group_coach",
        ):
            user = new_test_user(self.env, login=f"land_{group[-6:]}", groups=group)
            menus = self.env["ir.ui.menu"].with_user(user).load_menus(debug=False)
            with self.subTest(group=group):
                self.assertEqual(menus["root"]["children"][0], root.id)
