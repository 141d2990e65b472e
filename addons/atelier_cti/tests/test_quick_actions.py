# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.atelier_cti.tools.events import parse_body

from .common import AtelierCtiCommon, dumps, event

CALL_TYPE = "mail.mail_activity_data_call"


@tagged("post_install", "-at_install")
class TestPopupQuickActions(AtelierCtiCommon, TransactionCase):
    """ "Send a template" and "Call back" in the call pop-up."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_cti()
        cls.env.company.write({"name": "Atelier Moreau", "phone": "+33 4 72 00 00 00"})
        cls.claire.email = "claire@atelier.example.com"
        cls.marie.write({"email": "marie.martin@example.com", "lang": "en_US"})
        cls.template = cls.env.ref("atelier_cti.mail_template_call_follow_up")

    def _call(self, kind="answered", number="06 12 34 56 78", call_id=None):
        Call = self.env["atelier.call"].sudo()
        call_id = call_id or f"quick-{kind}-{number}".replace(" ", "")
        kinds = {
            "ringing": ("ringing",),
            "answered": ("ringing", "answered"),
            "ended": ("ringing", "answered", "hangup"),
            "missed": ("ringing", "missed"),
        }[kind]
        for step in kinds:
            extra = {"from": number}
            if step == "answered":
                extra["agent"] = "claire_cti"
            answer = Call._cti_process_event(
                self.line, parse_body(dumps(event(step, call_id, **extra)))
            )
        return Call.browse(answer["call_id"]).with_user(self.claire)

    # ------------------------------------------------------------------
    # Send a template
    # ------------------------------------------------------------------
    def test_templates_offered_in_the_popup(self):
        data = self._call().atelier_call_templates()
        names = [t["name"] for t in data["templates"]]
        self.assertEqual(len(names), 4)
        self.assertIn("Appel : suite à votre appel", names)
        self.assertIn("Appel : nos horaires et adresse", names)
        self.assertEqual(data["email"], "marie.martin@example.com")
        self.assertFalse(data["reason"])

    def test_every_template_is_filled_and_signed_by_the_sender(self):
        call = self._call()
        for template in call.atelier_call_templates()["templates"]:
            rendered = call.atelier_call_template_preview(template["id"])
            body = rendered["body_html"]
            with self.subTest(template=template["name"]):
                self.assertIn("Bonjour Marie Martin", body)
                self.assertRegex(body, r"Cordialement,<br/?>\s*Claire Moreau<br/?>")
                self.assertIn("Atelier Moreau", body)
                self.assertNotRegex(body, r"\[[^\]]*\]", "a placeholder left")
                self.assertNotRegex(rendered["subject"], r"[\[{]")
                self.assertNotIn("<", rendered["body_text"])
                self.assertEqual(rendered["email"], "marie.martin@example.com")
        hours = self.env.ref("atelier_cti.mail_template_call_hours_address")
        body = call.atelier_call_template_preview(hours.id)["body_html"]
        self.assertIn("Téléphone : +33 4 72 00 00 00", body)

    def test_send_posts_an_email_on_the_contact_and_queues_it(self):
        call = self._call()
        Mail = self.env["mail.mail"].sudo()
        before = Mail.search([]).ids
        result = call.with_context(
            mail_notify_force_send=False
        ).atelier_call_template_send(self.template.id)
        message = self.env["mail.message"].browse(result["message_id"])
        self.assertEqual(message.model, "res.partner")
        self.assertEqual(message.res_id, self.marie.id)
        self.assertEqual(message.author_id, self.claire.partner_id)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertEqual(message.partner_ids, self.marie)
        self.assertEqual(message.subject, "Suite à votre appel")
        self.assertIn("Claire Moreau", message.body)
        self.assertEqual(result["email"], "marie.martin@example.com")
        # the e-mail is in Odoo's outgoing queue, to the caller
        mail = Mail.search(
            [("id", "not in", before), ("mail_message_id", "=", message.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.recipient_ids, self.marie)
        self.assertIn("Merci pour votre appel", mail.body_html)
        self.assertIn("Claire Moreau", mail.body_html)
        # the call keeps a trace of it
        self.assertTrue(
            call.sudo().message_ids.filtered(
                lambda m: "marie.martin@example.com" in (m.body or "")
            )
        )

    def test_unknown_caller_or_no_address_cannot_get_an_email(self):
        unknown = self._call(number=self.unknown_number)
        self.assertFalse(unknown.partner_id)
        data = unknown.atelier_call_templates()
        self.assertIn("Unknown caller", data["reason"])
        self.assertEqual(unknown.atelier_popup_data()["email_reason"], data["reason"])
        with self.assertRaises(UserError):
            unknown.atelier_call_template_send(self.template.id)
        shared = self._call(number="04 78 99 88 77")
        self.assertFalse(shared.partner_id)
        self.assertIn("pick the caller", shared.atelier_call_templates()["reason"])
        garage = self._call(number="04 78 12 34 56")
        self.assertEqual(garage.partner_id, self.garage)
        self.assertIn("no e-mail address", garage.atelier_call_templates()["reason"])
        with self.assertRaises(UserError):
            garage.atelier_call_template_preview(self.template.id)

    def test_bad_template_is_refused_clearly(self):
        call = self._call()
        ticket_like = self.template.copy({"atelier_call_popup": False})
        other_model = self.env["mail.template"].create(
            {
                "name": "Users' template",
                "model_id": self.env["ir.model"]._get_id("res.users"),
                "atelier_call_popup": True,
            }
        )
        posted = [("message_type", "=", "comment")]
        messages = self.env["mail.message"].search_count(posted)
        for bad in (ticket_like.id, other_model.id, 0, -1, "x", None, 10**9):
            with self.subTest(template=bad), self.assertRaises(UserError) as caught:
                call.atelier_call_template_send(bad)
            self.assertIn("cannot be sent from a call", str(caught.exception))
        self.assertEqual(self.env["mail.message"].search_count(posted), messages)

    def test_template_refused_to_who_cannot_read_the_call(self):
        call = self._call()
        # a technician not routed the call cannot read it
        for user in (self.gaetan, self.portal, self.coach):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    call.with_user(user).atelier_call_templates()
                with self.assertRaises(AccessError):
                    call.with_user(user).atelier_call_template_send(self.template.id)
        self.assertFalse(
            self.marie.message_ids.filtered(
                lambda m: m.subject == "Suite à votre appel"
            )
        )

    # ------------------------------------------------------------------
    # Schedule a call back
    # ------------------------------------------------------------------
    @freeze_time("2026-12-04 09:10:00")  # a Friday, 10:10 in Paris
    def test_call_back_choices_and_activity_on_the_contact(self):
        call = self._call(kind="ended")
        choices = call.atelier_popup_data()["callback_choices"]
        self.assertEqual(
            [c["key"] for c in choices], ["hour", "afternoon"], "before 13:00"
        )
        self.assertIn("11:10", choices[0]["label"], "the user's time")
        result = call.atelier_schedule_call_back("hour")
        activity = self.env["mail.activity"].browse(result["callback"]["activity_id"])
        self.assertEqual(activity.res_model, "res.partner")
        self.assertEqual(activity.res_id, self.marie.id)
        self.assertEqual(activity.activity_type_id, self.env.ref(CALL_TYPE))
        self.assertEqual(activity.user_id, self.claire)
        self.assertEqual(str(activity.date_deadline), "2026-12-04")
        self.assertIn("+33612345678", activity.summary)
        self.assertIn("11:10", activity.summary)
        self.assertIn("+33612345678", activity.note)
        # the answered call has its next step: "call back later"
        self.assertEqual(call.outcome, "callback")
        self.assertTrue(result["callback"]["outcome_set"])
        # undo: the activity goes, and the outcome it set
        call.atelier_undo_call_back(activity.id, True)
        self.assertFalse(activity.exists())
        self.assertFalse(call.outcome)

    @freeze_time("2026-12-04 15:00:00")  # Friday 16:00 in Paris
    def test_call_back_next_working_morning_and_another_day(self):
        call = self._call(kind="ended")
        choices = call.atelier_popup_data()["callback_choices"]
        self.assertEqual([c["key"] for c in choices], ["hour", "morning"])
        self.assertNotEqual(choices[1]["label"], "Tomorrow morning", "a Saturday")
        result = call.atelier_schedule_call_back("morning")
        activity = self.env["mail.activity"].browse(result["callback"]["activity_id"])
        self.assertEqual(str(activity.date_deadline), "2026-12-07", "Monday")
        result = call.atelier_schedule_call_back("day", "2026-12-15")
        activity = self.env["mail.activity"].browse(result["callback"]["activity_id"])
        self.assertEqual(str(activity.date_deadline), "2026-12-15")
        self.assertFalse(result["callback"]["outcome_set"], "had one already")
        for when, day in (
            ("day", "2026-12-01"),
            ("day", "not a day"),
            ("day", False),
            ("yesterday", False),
            ("day", "2031-01-01"),
        ):
            with self.subTest(when=when, day=day), self.assertRaises(UserError):
                call.atelier_schedule_call_back(when, day)

    def test_call_back_of_an_unknown_number_is_on_the_call(self):
        call = self._call(kind="missed", number=self.unknown_number)
        self.assertFalse(call.partner_id)
        automatic = call.callback_activity_id
        self.assertEqual(automatic.user_id, self.claire, "the line's owner")
        automatic.sudo().unlink()
        result = call.atelier_schedule_call_back("afternoon")
        activity = self.env["mail.activity"].browse(result["callback"]["activity_id"])
        self.assertEqual(
            (activity.res_model, activity.res_id), ("atelier.call", call.id)
        )
        self.assertIn("+33478554433", activity.summary)
        # it is the missed call's call-back: done, the call is called back
        self.assertEqual(call.callback_activity_id, activity)
        self.assertFalse(call.outcome)
        activity.action_feedback(feedback="Rappelé")
        self.assertTrue(call.callback_done)

    def test_call_back_refusals(self):
        call = self._call(kind="ended")
        for user in (self.gaetan, self.portal, self.coach):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                call.with_user(user).atelier_schedule_call_back("hour")
        result = call.atelier_schedule_call_back("hour")
        activity_id = result["callback"]["activity_id"]
        # somebody else's activity, or one of another record, cannot be undone
        other = self._call(kind="ended", number="04 78 12 34 56")
        with self.assertRaises(UserError):
            other.atelier_undo_call_back(activity_id)
        with self.assertRaises(UserError):
            call.with_user(self.assistant2).atelier_undo_call_back(activity_id)
        with self.assertRaises(UserError):
            call.atelier_undo_call_back(10**9)
        self.assertTrue(self.env["mail.activity"].browse(activity_id).exists())
