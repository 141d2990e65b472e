# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import secrets
from datetime import datetime, time, timedelta

import pytz

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDeskTours(HttpCase):
    """The three screens as Claire and her manager use them, in a browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # national numbers are read in the company's country
        env.company.country_id = env.ref("base.fr")
        cls.claire = new_test_user(
            env,
            login="tour_desk_claire",
            name="Claire Tour",
            groups="atelier_base.group_assistant",
            tz="Europe/Paris",
        )
        cls.manager = new_test_user(
            env,
            login="tour_desk_manager",
            name="Manager Tour",
            groups="atelier_base.group_manager,base.group_user",
            tz="Europe/Paris",
        )
        cls.line = env["atelier.cti.line"].create(
            {
                "name": "Tour line",
                "code": "tour-desk",
                "provider": "asterisk",
                "secret": secrets.token_hex(16),
                "numbers": "+33 4 72 99 99 99",
                "owner_id": cls.claire.id,
            }
        )
        cls.garage = env["res.partner"].create(
            {"name": "Tour Garage", "is_company": True}
        )
        cls.lucie = env["res.partner"].create(
            {
                "name": "Tour: Lucie",
                "parent_id": cls.garage.id,
                "email": "lucie@tour.fr",
            }
        )
        cls.ticket = env["helpdesk.ticket"].create(
            {
                "name": "Tour: ticket without owner",
                "description": "<p>Bonjour</p>",
                "partner_id": cls.lucie.id,
                "user_id": False,
            }
        )
        now = fields.Datetime.now()
        Call = env["atelier.call"].with_context(tracking_disable=True)
        # 31 answered calls with an outcome (one more than a page), the
        # oldest noted "Tour: first call"
        Call.create(
            [
                cls._call_vals(
                    now - timedelta(days=100, minutes=index), outcome="resolved"
                )
                for index in range(31)
            ]
        )
        Call.search(
            [("line_id", "=", cls.line.id)], order="start_at", limit=1
        ).notes = "<p>Tour: first call</p>"
        # a missed call nobody will call back
        Call.create(cls._call_vals(now - timedelta(hours=2), state="missed"))
        # four weeks of Tuesdays at 10h (Paris): 3 calls each
        paris = pytz.timezone("Europe/Paris")
        today = pytz.utc.localize(now).astimezone(paris).date()
        monday = today - timedelta(days=today.weekday())
        history = []
        for week in range(1, 5):
            tuesday = monday - timedelta(weeks=week) + timedelta(days=1)
            start = paris.localize(datetime.combine(tuesday, time(10, 10)))
            start = start.astimezone(pytz.utc).replace(tzinfo=None)
            history += [
                cls._call_vals(start, outcome="information", partner=False)
                for _call in range(3)
            ]
        Call.create(history)

    @classmethod
    def _call_vals(cls, start, state="ended", outcome=False, partner=None):
        vals = {
            "line_id": cls.line.id,
            "provider": "asterisk",
            "provider_call_id": secrets.token_hex(8),
            "direction": "inbound",
            "caller_number": "+33611223344",
            "callee_number": "+33472999999",
            "partner_id": cls.lucie.id if partner is None else partner,
            "start_at": start,
            "end_at": start + timedelta(minutes=3),
            "state": state,
            "outcome": outcome,
        }
        if state == "ended":
            vals.update(answer_at=start + timedelta(seconds=5), user_id=cls.claire.id)
        return vals

    def test_nothing_forgotten(self):
        self.start_tour(
            "/odoo/action-atelier_desk.atelier_desk_pending_action",
            "atelier_desk_nothing_forgotten_tour",
            login="tour_desk_claire",
        )

    def test_timeline(self):
        self.start_tour(
            f"/odoo/res.partner/{self.lucie.id}",
            "atelier_desk_timeline_tour",
            login="tour_desk_claire",
        )

    def test_dashboard(self):
        self.start_tour(
            "/odoo/action-atelier_desk.atelier_desk_dashboard_action",
            "atelier_desk_dashboard_tour",
            login="tour_desk_manager",
        )
