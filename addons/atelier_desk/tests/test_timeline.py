# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.atelier_booking.tests.common import a_monday, paris, setup_booking_data

from .common import DeskCase

T0 = datetime(2026, 3, 2, 8, 0)


@tagged("post_install", "-at_install")
class TestTimeline(DeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        data = setup_booking_data(cls.env, prefix="desktl")
        at = lambda hours: T0 + timedelta(hours=hours)  # noqa: E731
        cls.call_paul = cls._make_call(cls.paul, at(1))
        cls.call_lucie = cls._make_call(cls.lucie, at(2), state="missed")
        cls.ticket = cls._make_ticket(cls.paul, at(3))
        # an e-mail from Paul on his ticket, and the desk's answer to him
        cls.email_in = cls.ticket.message_post(
            body="Le disjoncteur saute encore.",
            subject="Re: Disjoncteur",
            message_type="email",
            author_id=cls.paul.id,
            subtype_xmlid="mail.mt_comment",
        )
        cls.email_out = cls.ticket.with_user(cls.claire).message_post(
            body="Nous passons demain matin.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=cls.paul.ids,
        )
        cls.note = cls.ticket.with_user(cls.claire).message_post(
            body="Note interne", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        (cls.email_in | cls.email_out | cls.note).write({"date": at(4)})
        cls.email_out.date = at(5)
        cls.booking = cls.env["atelier.booking"]._book(
            data["type"], paris(a_monday(), 9), partner=cls.paul, hold=False
        )
        cls.held = cls.env["atelier.booking"]._book(
            data["type"], paris(a_monday(), 14), partner=cls.paul, hold=True
        )
        if "crm.lead" in cls.env:
            # the CRM's booking glue made a lead of Paul's first booking: the
            # opportunities' source is tested on its own below
            cls.env["crm.lead"].search([("partner_id", "=", cls.paul.id)]).unlink()
        cls.other = cls._make_call(
            cls.env["res.partner"].create({"name": "Autre"}), at(6)
        )
        # the confirmation e-mail of the booking, sent to Paul
        cls.confirmation = cls.env["mail.message"].search(
            [
                ("model", "=", "atelier.booking"),
                ("res_id", "=", cls.booking.id),
                ("message_type", "=", "email_outgoing"),
            ]
        )
        cls.confirmation.date = at(6)

    @classmethod
    def _make_call(cls, partner, when, state="ended"):
        return DeskCase._call(cls, state=state, partner=partner, start_at=when)

    @classmethod
    def _make_ticket(cls, partner, when):
        ticket = DeskCase._ticket(cls, partner=partner)
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
            (when, ticket.id),
        )
        ticket.invalidate_recordset(["create_date"])
        return ticket

    def keys(self, page):
        return [(item["res_model"], item["res_id"]) for item in page["items"]]

    def test_one_list_newest_first_for_a_person(self):
        page = self.paul.with_user(self.claire).atelier_timeline()
        self.assertEqual(
            self.keys(page),
            [
                ("atelier.booking", self.booking.id),  # upcoming, on top
                ("mail.message", self.confirmation.id),
                ("mail.message", self.email_out.id),
                ("mail.message", self.email_in.id),
                ("helpdesk.ticket", self.ticket.id),
                ("atelier.call", self.call_paul.id),
            ],
            "no held booking, no internal note, no one else's call",
        )
        kinds = {kind["key"]: kind["count"] for kind in page["kinds"]}
        self.assertEqual(
            {k: kinds[k] for k in ("call", "email", "ticket", "booking")},
            {"call": 1, "email": 3, "ticket": 1, "booking": 1},
        )
        self.assertFalse(page["company"])
        received, sent = page["items"][3], page["items"][2]
        self.assertEqual(received["kind"], "email")
        self.assertIn("Le disjoncteur saute encore", received["body"])
        # an e-mail opens its conversation: the ticket
        self.assertEqual(
            (sent["open_model"], sent["open_id"]), (self.ticket._name, self.ticket.id)
        )

    def test_a_company_aggregates_its_people(self):
        page = self.garage.with_user(self.claire).atelier_timeline(kinds=["call"])
        self.assertEqual(
            self.keys(page),
            [("atelier.call", self.call_lucie.id), ("atelier.call", self.call_paul.id)],
        )
        self.assertTrue(page["company"])
        self.assertEqual(page["items"][0]["partner"], "Lucie Durand")
        self.assertEqual(page["items"][0]["title"], "Incoming call")
        self.assertEqual(page["items"][0]["badge_color"], "danger", "missed")

    def test_pages_follow_each_other_without_gap_or_repeat(self):
        everything = self.keys(self.garage.with_user(self.claire).atelier_timeline())
        self.assertEqual(len(everything), 7)
        seen, cursor = [], None
        for _page in range(10):
            page = self.garage.with_user(self.claire).atelier_timeline(
                cursor=cursor, limit=2
            )
            seen += self.keys(page)
            self.assertLessEqual(len(page["items"]), 2)
            self.assertEqual("kinds" in page, cursor is None, "counts on page one")
            cursor = page["next"]
            if not cursor:
                break
        self.assertEqual(seen, everything)

    def test_same_date_pages_by_kind_then_id(self):
        # three events at the very same time, across two kinds
        same = T0 + timedelta(days=10)
        calls = self._make_call(self.paul, same) | self._make_call(self.paul, same)
        ticket = self._make_ticket(self.paul, same)
        seen, cursor = [], None
        while True:
            page = self.paul.with_user(self.claire).atelier_timeline(
                cursor=cursor, limit=1
            )
            seen += self.keys(page)
            cursor = page["next"]
            if not cursor:
                break
        for record in [*calls, ticket]:
            self.assertEqual(seen.count((record._name, record.id)), 1)

    def test_filters(self):
        page = self.paul.with_user(self.claire).atelier_timeline(
            kinds=["ticket", "email"]
        )
        self.assertEqual({item["kind"] for item in page["items"]}, {"ticket", "email"})
        self.assertEqual(len(page["items"]), 4)

    def test_rights_of_the_reader(self):
        # a technician sees the calls he answered or was routed only
        self.call_paul.user_id = self.gaetan
        page = self.garage.with_user(self.gaetan).atelier_timeline(kinds=["call"])
        self.assertEqual(self.keys(page), [("atelier.call", self.call_paul.id)])
        with self.assertRaises(AccessError):
            self.paul.with_user(self.portal).atelier_timeline()
        with self.assertRaises(UserError):
            self.paul.with_user(self.claire).atelier_timeline(cursor="not|a|cursor")
        with self.assertRaises(UserError):
            self.paul.with_user(self.claire).atelier_timeline(limit="many")

    def test_sources_of_addons_the_desk_does_not_depend_on(self):
        """Diagnostics, courses and opportunities are listed only when their
        addon is installed, and their queries run (the full suite installs
        them all)."""
        optional = {
            "diagnostic": "atelier.obd.session",
            "course": "atelier.academy.attendance",
            "opportunity": "crm.lead",
        }
        page = self.paul.with_user(self.manager).atelier_timeline()
        kinds = {kind["key"]: kind["count"] for kind in page["kinds"]}
        for kind, model in optional.items():
            self.assertEqual(kind in kinds, model in self.env, kind)
        present = [kind for kind, model in optional.items() if model in self.env]
        if present:
            page = self.paul.with_user(self.manager).atelier_timeline(kinds=present)
            self.assertEqual(page["items"], [], "Paul has none of these yet")
        if "crm.lead" in self.env:
            lead = self.env["crm.lead"].create(
                {"name": "Contrat d'entretien", "partner_id": self.paul.id}
            )
            page = self.paul.with_user(self.manager).atelier_timeline(
                kinds=["opportunity"]
            )
            self.assertEqual(self.keys(page), [("crm.lead", lead.id)])
