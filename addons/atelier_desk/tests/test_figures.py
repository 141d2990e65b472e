# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The manager's figures, the call forecast and the clients at risk, all
computed from records the tests create at fixed (frozen) times."""

from datetime import datetime, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.atelier_booking.tests.common import paris, setup_booking_data

from ..tools import forecast
from .common import DeskCase

# a Friday; the week before it is the last complete one
NOW = datetime(2026, 3, 20, 10, 0)


@tagged("post_install", "-at_install")
class TestDeskFigures(DeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Dashboard = cls.env["atelier.desk.dashboard"].with_user(cls.manager)
        cls.bernard = cls.env["res.partner"].create(
            {"name": "Bernard Petit", "email": "bernard@petit.fr"}
        )

    def figures(self, days=30):
        data = self.Dashboard.atelier_dashboard_data(days)
        return data, {kpi["key"]: kpi for kpi in data["kpis"]}

    def test_calls_tickets_bookings_and_satisfaction(self):
        with self.at(NOW):
            # calls: 4 answered at 9h, 2 missed at 10h (Paris), one called back
            for minute in range(4):
                self._call(
                    partner=self.paul,
                    start_at=NOW - timedelta(days=1, hours=2, minutes=-minute),
                )
            missed = [
                self._call(
                    state="missed",
                    partner=self.lucie,
                    start_at=NOW - timedelta(days=1, hours=1),
                )
                for _i in range(2)
            ]
            missed[0].write(
                {
                    "callback_done": True,
                    "callback_at": missed[0].end_at + timedelta(hours=2),
                }
            )
            self._call(partner=self.paul, direction="outbound")
            self._call(partner=self.paul, start_at=NOW - timedelta(days=40))
            # tickets: one answered on time, one that will be late, one by phone
            on_time = self._ticket(name="A temps", atelier_channel="email")
            late = self._ticket(name="En retard", atelier_channel="email")
            on_time.with_user(self.claire).message_post(
                body="Nous regardons.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        with self.at(NOW + timedelta(days=2)):
            self.env["helpdesk.ticket"]._atelier_cron_evaluate_sla()
            quote = self.env.ref("atelier_helpdesk.helpdesk_type_quote")
            self._ticket(name="Devis", atelier_channel="phone", type_id=quote.id)
            on_time.stage_id = self.stage_done
            on_time.sudo().rating_apply(4, token=on_time._rating_get_access_token())
            # appointments: one booked online by the client, two by the desk
            data = setup_booking_data(self.env, prefix="deskfig")
            Booking = self.env["atelier.booking"]
            monday = (NOW + timedelta(days=10)).date()
            online = Booking.with_user(data["portal"])._book(
                data["type"],
                paris(monday, 9),
                partner=data["portal"].partner_id,
                hold=False,
            )
            desk = [
                Booking.with_user(self.claire)._book(
                    data["type"], paris(monday, hour), partner=self.paul, hold=False
                )
                for hour in (10, 14)
            ]
        self.assertEqual(online.atelier_booked_by, "client")
        self.assertEqual({b.atelier_booked_by for b in desk}, {"desk"})
        with self.at(NOW + timedelta(days=11)):
            desk[0].with_user(desk[0].technician_id).action_done()
            desk[1].with_user(desk[1].technician_id).action_no_show()
            desk[0].sudo().rating_apply(2, token=desk[0]._rating_get_access_token())
            data, kpis = self.figures()

        self.assertEqual(kpis["calls"]["value"], 6, "incoming, in the period")
        self.assertEqual(kpis["missed_rate"]["display"], "33 %")
        self.assertEqual(kpis["callback_delay"]["display"], "2 h 00")
        self.assertIn("1 ", kpis["callback_delay"]["hint"])
        self.assertEqual(
            [(r["hour"], r["calls"], r["missed"]) for r in data["calls_by_hour"]],
            [(9, 4, 0), (10, 2, 2)],
        )
        channels = {row["channel"]: row for row in data["tickets_by_channel"]}
        self.assertEqual(channels["email"]["count"], 2)
        self.assertEqual(
            [(t["type"], t["count"]) for t in channels["phone"]["types"]],
            [("Quote request", 1)],
        )
        self.assertEqual(kpis["first_response"]["display"], "50 %", "1 on time, 1 late")
        self.assertEqual(kpis["resolution"]["display"], "100 %")
        self.assertEqual(kpis["sla_breached"]["value"], 1)
        self.assertEqual(late.atelier_sla_status, "breached")
        self.assertEqual(kpis["booked_online"]["display"], "33 %")
        self.assertIn("1 online, 2 by the desk", kpis["booked_online"]["hint"])
        self.assertEqual(kpis["no_show"]["display"], "50 %")
        self.assertEqual(kpis["csat"]["display"], "3.0 / 5", "(4 + 2) / 2")
        # every figure opens its records
        calls = self.env["atelier.call"].search(kpis["missed_rate"]["domain"])
        self.assertEqual(calls, missed[0] | missed[1])

    def test_period_and_rights(self):
        with self.assertRaises(UserError):
            self.Dashboard.atelier_dashboard_data(12)
        for user in (self.claire, self.gaetan, self.portal):
            with self.assertRaises(AccessError):
                self.env["atelier.desk.dashboard"].with_user(
                    user
                ).atelier_dashboard_data()

    def test_forecast_of_next_week_from_history(self):
        with self.at(NOW):
            last_monday = NOW.date() - timedelta(days=NOW.weekday() + 7)
            for week in range(6):
                monday = last_monday - timedelta(weeks=week)
                for _i in range(3):  # Tuesdays at 10h, Paris time
                    self._call(start_at=paris(monday + timedelta(days=1), 10, 15))
                self._call(start_at=paris(monday + timedelta(days=3), 15, 30))
            self._call(start_at=NOW - timedelta(hours=1))  # this week: not history
            data, _kpis = self.figures()
        prediction = data["forecast"]
        self.assertEqual(
            prediction["weeks"], 6, "weeks before the first call are not zeros"
        )
        self.assertEqual(prediction["week_start"], "2026-03-23")
        self.assertEqual(prediction["hours"], list(range(10, 16)))
        self.assertEqual(len(prediction["days"]), 2, "Tuesday and Thursday only")
        tuesday, thursday = prediction["days"]
        self.assertAlmostEqual(tuesday["values"][0], 3.0, delta=0.05)
        self.assertAlmostEqual(thursday["values"][5], 1.0, delta=0.05)
        self.assertEqual(prediction["total"], 4)

    def test_forecast_beats_the_naive_baseline_on_a_trend_and_a_holiday(self):
        """The pure function: a growing week profile with one holiday week
        just before the target."""
        weeks = []
        for index in range(10):
            week = forecast.empty_week()
            level = 10 + index
            if index == 9:
                level = 4  # a holiday week
            week[0][9] = level
            week[2][14] = level // 2
            weeks.append(week)
        actual = forecast.empty_week()
        actual[0][9], actual[2][14] = 20, 10
        ours = forecast.errors(actual, forecast.seasonal_trend_forecast(weeks))
        naive = forecast.errors(actual, forecast.naive_forecast(weeks))
        self.assertLess(ours[0], naive[0] / 3)
        self.assertEqual(forecast.seasonal_trend_forecast([]), forecast.empty_week(0.0))


@tagged("post_install", "-at_install")
class TestClientsAtRisk(DeskCase):
    def test_reasons_per_client_on_its_company(self):
        Risk = self.env["atelier.desk.risk"].with_user(self.manager)
        happy = self.env["res.partner"].create(
            {"name": "Client Content", "email": "ok@ok.fr"}
        )
        with self.at(NOW):
            late = self._ticket(partner=self.paul, atelier_channel="email")
            unhappy = self._ticket(partner=self.paul, name="Mal réparé")
            pleased = self._ticket(partner=happy, name="Parfait")
            missed = self._call(state="missed", partner=self.lucie)
        with self.at(NOW + timedelta(days=2)):
            self.env["helpdesk.ticket"]._atelier_cron_evaluate_sla()
            for ticket, score in ((unhappy, 1), (pleased, 5)):
                ticket.stage_id = self.stage_done
                ticket.sudo().rating_apply(
                    score, token=ticket._rating_get_access_token()
                )
            clients = Risk._atelier_clients()
        self.assertEqual([c["partner_id"] for c in clients], [self.garage.id])
        [garage] = clients
        self.assertEqual(
            {r["reason"]: r["count"] for r in garage["reasons"]},
            {"sla_breached": 1, "missed_calls": 1, "low_csat": 1},
        )
        self.assertEqual(garage["score"], 3 + 2 + 3)
        texts = " ".join(r["text"] for r in garage["reasons"])
        self.assertIn("1.0 / 5", texts)
        opened = {
            reason["reason"]: self.env[reason["action"]["res_model"]]
            .with_user(self.manager)
            .search(reason["action"]["domain"])
            for reason in garage["reasons"]
        }
        self.assertEqual(opened["sla_breached"], late)
        self.assertEqual(opened["missed_calls"], missed)
        self.assertIn(unhappy, opened["low_csat"])

        # called back: that reason goes
        missed.with_user(self.claire).atelier_log_outcome("resolved")
        with self.at(NOW + timedelta(days=2)):
            [garage] = Risk._atelier_clients()
        self.assertNotIn("missed_calls", {r["reason"] for r in garage["reasons"]})
        with self.assertRaises(AccessError):
            self.env["atelier.desk.risk"].with_user(self.portal).search([])


@tagged("post_install", "-at_install")
class TestCompanyCard(DeskCase):
    def test_a_call_from_the_switchboard_shows_the_company_tickets(self):
        paul_ticket = self._ticket(partner=self.paul, name="Prise grillée")
        lucie_ticket = self._ticket(partner=self.lucie, name="Devis armoire")
        closed = self._ticket(partner=self.lucie, name="Ancien")
        closed.stage_id = self.stage_done
        lucie_call = self._call(partner=self.lucie)
        answer = (
            self.env["atelier.call"]
            .sudo()
            ._cti_process_event(
                self.line,
                {
                    "event_id": "switchboard-1",
                    "event": "ringing",
                    "call_id": "switchboard-call-1",
                    "from": "+33 4 78 12 34 56",
                    "to": "+33 4 72 00 00 00",
                    "at": datetime.now().replace(microsecond=0),
                },
            )
        )
        call = self.env["atelier.call"].browse(answer["call_id"])
        self.assertEqual(
            call.partner_id, self.garage, "the switchboard is the company's"
        )
        card = call.partner_id.with_user(self.claire).atelier_get_card()
        sections = {section["key"]: section for section in card["sections"]}
        tickets = sections["tickets"]
        self.assertEqual(
            {item["res_id"] for item in tickets["items"]},
            {paul_ticket.id, lucie_ticket.id},
            "open tickets of every contact, not the closed one",
        )
        self.assertEqual(tickets["count"], 2)
        calls = sections["calls"]
        self.assertIn(lucie_call.id, [item["res_id"] for item in calls["items"]])
        lucie_item = next(i for i in calls["items"] if i["res_id"] == lucie_call.id)
        self.assertTrue(lucie_item["value"].startswith("Lucie Durand · "))
        self.assertEqual(calls["count"], 2, "the company's own call and Lucie's")
        self.assertEqual(
            calls["action"]["domain"], [("partner_id", "child_of", self.garage.id)]
        )
