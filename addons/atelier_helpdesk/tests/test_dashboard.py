# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import AtelierHelpdeskCommon, new_portal_user, paris


@tagged("post_install", "-at_install")
class TestQueueAndDashboard(AtelierHelpdeskCommon):
    def _ticket_at(self, when, **vals):
        with self.mock_datetime_and_now(when):
            ticket = self._new_ticket(**vals)
            ticket.flush_recordset()
        return ticket

    def _a_recent_working_day(self):
        """A day of the last two weeks with full working hours at the desk."""
        day = fields.Date.today()
        for _i in range(14):
            day -= timedelta(days=1)
            hours = self.calendar.get_work_hours_count(
                paris(day.year, day.month, day.day, 8, 0),
                paris(day.year, day.month, day.day, 18, 0),
                compute_leaves=True,
            )
            if hours >= 8:
                return day
        raise AssertionError("no working day in two weeks")

    def test_queue_shows_client_deadline_and_sla_state(self):
        action = self.env.ref("atelier_helpdesk.atelier_helpdesk_ticket_action")
        views = (
            self.env["helpdesk.ticket"]
            .with_user(self.user_claire)
            .get_views([(False, "list")], {"action_id": action.id})
        )
        arch = etree.fromstring(views["views"]["list"]["arch"])

        def column(name):
            (node,) = arch.xpath(f"//field[@name='{name}']")
            return node

        self.assertNotEqual(column("partner_id").get("optional"), "hide")
        self.assertEqual(column("partner_id").get("string"), "Client")
        deadline = column("atelier_sla_deadline")
        self.assertNotEqual(deadline.get("optional"), "hide")
        self.assertIn("late", deadline.get("decoration-danger"))
        self.assertIn("soon", deadline.get("decoration-warning"))
        self.assertNotEqual(column("atelier_sla_status").get("optional"), "hide")

    def test_deadline_and_urgency_follow_the_clock(self):
        start = paris(2026, 10, 5, 9, 0)  # Monday: first response due 13:00
        ticket = self._ticket_at(start)
        first = self._lines(ticket, "first_response")
        resolution = self._lines(ticket, "resolution")
        self.assertEqual(first.deadline, paris(2026, 10, 5, 14, 0))
        self.assertEqual(ticket.atelier_sla_deadline, first.deadline)
        self.assertEqual(ticket.partner_name, "Paul Durand", "client column filled")
        for moment, urgency in (
            (start + timedelta(hours=1), "ok"),
            (first.atelier_warning_date + timedelta(minutes=5), "soon"),
            (first.deadline + timedelta(minutes=5), "late"),
        ):
            with self.mock_datetime_and_now(moment):
                ticket.invalidate_recordset(["atelier_sla_urgency"])
                self.assertEqual(ticket.atelier_sla_urgency, urgency, moment)
        with self.mock_datetime_and_now(start + timedelta(hours=2)):
            self._reply_as(ticket, self.user_claire)
            ticket.invalidate_recordset(["atelier_sla_urgency"])
            self.assertEqual(ticket.atelier_sla_deadline, resolution.deadline)
            self.assertEqual(ticket.atelier_sla_urgency, "ok")
        ticket.stage_id = self.stage_done
        ticket.invalidate_recordset(["atelier_sla_urgency"])
        self.assertEqual(ticket.atelier_sla_urgency, "none")

    def test_dashboard_opens_with_numbers(self):
        Ticket = self.env["helpdesk.ticket"]
        before = Ticket.with_user(self.user_manager).atelier_dashboard_data()
        late = self._new_ticket(name="En retard")
        risky = self._new_ticket(name="Bientôt", user_id=self.user_claire.id)
        self.env.flush_all()  # as the SLA cron finds them: lines computed
        self._lines(late, "first_response").write({"state": "expired"})
        self._lines(risky, "first_response").write({"atelier_warned": True})
        self._new_ticket(name="Électrique", type_id=self.type_electrical.id)
        day = self._a_recent_working_day()
        solved = self._ticket_at(
            paris(day.year, day.month, day.day, 9, 0), name="Résolu"
        )
        with self.mock_datetime_and_now(paris(day.year, day.month, day.day, 10, 30)):
            self._reply_as(solved, self.user_claire)
        with self.mock_datetime_and_now(paris(day.year, day.month, day.day, 15, 0)):
            solved.stage_id = self.stage_done
        self.assertAlmostEqual(solved.atelier_resolution_hours, 5.0, places=2)
        solved.sudo().atelier_csat = 4
        data = Ticket.with_user(self.user_manager).atelier_dashboard_data()
        kpi = {k["key"]: k for k in data["kpis"]}
        old = {k["key"]: k for k in before["kpis"]}
        self.assertEqual(kpi["open"]["value"], old["open"]["value"] + 3)
        self.assertEqual(kpi["unassigned"]["value"], old["unassigned"]["value"] + 2)
        self.assertEqual(kpi["breached"]["value"], old["breached"]["value"] + 1)
        self.assertEqual(kpi["breached"]["tone"], "danger")
        self.assertEqual(kpi["at_risk"]["value"], old["at_risk"]["value"] + 1)
        self.assertNotEqual(kpi["first_response"]["display"], "–")
        self.assertNotEqual(kpi["resolution"]["display"], "–")
        self.assertIn("/ 5", kpi["csat"]["display"])
        # every figure opens its tickets
        breached = Ticket.search(kpi["breached"]["domain"])
        self.assertIn(late, breached)
        self.assertNotIn(risky, breached)
        rows = {(r["team"], r["type"]): r for r in data["rows"]}
        row = rows[(self.team_interventions.display_name, self.type_electrical.name)]
        self.assertGreaterEqual(row["cells"][0]["value"], 1)
        self.assertIn(
            "Électrique", Ticket.search(row["cells"][0]["domain"]).mapped("name")
        )
        self.assertEqual(len(data["columns"]), len(row["cells"]))

    def test_dashboard_counts_what_the_user_may_read_and_refuses_others(self):
        mine = self._new_ticket(name="Le mien")
        technician = new_test_user(
            self.env,
            login="tech_dash",
            name="Technicien",
            groups="atelier_base.group_technician",
        )
        mine.user_id = technician
        self._new_ticket(name="Pas le mien")
        data = (
            self.env["helpdesk.ticket"].with_user(technician).atelier_dashboard_data()
        )
        kpi = {k["key"]: k for k in data["kpis"]}
        self.assertEqual(kpi["open"]["value"], 1)
        portal = new_portal_user(self.env, "dash_portal", "Client Curieux")
        coach = new_test_user(
            self.env,
            login="dash_coach",
            name="Coach",
            groups="atelier_base.group_coach",
        )
        for user in (portal, coach):
            with self.assertRaises(AccessError):
                self.env["helpdesk.ticket"].with_user(user).atelier_dashboard_data()


@tagged("post_install", "-at_install")
class TestDashboardTour(HttpCase):
    def test_manager_opens_the_dashboard(self):
        manager = new_test_user(
            self.env,
            login="tour_manager",
            name="Marc Manager",
            groups="atelier_base.group_manager",
        )
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Tour: late ticket", "description": "<p>x</p>"}
        )
        self.env.flush_all()  # as the SLA cron finds it: lines computed
        ticket.ticket_sla_ids[:1].write({"state": "expired"})
        self.assertEqual(ticket.atelier_sla_status, "breached")
        self.start_tour(
            "/odoo/atelier-helpdesk-dashboard",
            "atelier_helpdesk_dashboard_tour",
            login=manager.login,
        )
