# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.atelier_career.tests.common import CareerCase, cv_values, make_learner

# Monday 1 March 2027, 10:00 in Paris (09:00 UTC): business hours
MONDAY_10 = datetime(2027, 3, 1, 9, 0)
DAY = timedelta(days=1)


@tagged("post_install", "-at_install")
class TestCvFollowup(CareerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.module.module"]._load_module_terms(
            ["atelier_career_crm"], ["fr_FR"], overwrite=True
        )
        std = cls.env.ref("resource.resource_calendar_std")
        cls.env.company.resource_calendar_id = std
        cls.sequence = cls.env.ref("atelier_career_crm.sequence_cv_followup")
        cls.sequence.resource_calendar_id = std
        cls.steps = cls.sequence.step_ids.sorted("day_offset")
        cls.Consent = cls.env["atelier.crm.consent"]
        cls.Enrolment = cls.env["atelier.crm.enrolment"]
        # the learner agreed to advice e-mails (e.g. on the website form)
        cls.Consent._atelier_log(
            [cls.learner.email], "sequence", "granted", "website_form"
        )

    def _exported_cv(self, user=None, name="CV diagnostic", when=MONDAY_10):
        """A CV of ``user`` exported 15 days before ``when``, untouched since."""
        cv = self.env["atelier.career.cv"].with_user(user or self.learner)
        cv = cv.create(cv_values(name=name))
        cv.sudo().write(
            {"exported_date": when - 15 * DAY, "edited_date": when - 16 * DAY}
        )
        return cv

    def _followup(self, when):
        """The CV builder's daily follow-up (its scheduled action's code)."""
        with freeze_time(when):
            return self.env["atelier.career.cv"]._cron_followup()

    def _run_sequences(self, when):
        """One pass of the CRM's sequence scheduler (the batch its scheduled
        action loops over; the loop itself commits, which a test cannot)."""
        with freeze_time(when):
            for _attempt in range(5):
                if not self.Enrolment._atelier_run_batch(now=when):
                    break

    def _enrolments(self, user=None):
        return self.Enrolment.search(
            [("partner_id", "=", (user or self.learner).partner_id.id)]
        )

    def _sequence_mails(self, enrolments):
        logs = enrolments.step_log_ids.filtered(lambda log: log.state == "sent")
        return self.env["mail.mail"].search(
            [("mail_message_id", "in", logs.mail_message_id.ids)]
        )

    def _daily(self, first_day, last_day, start=MONDAY_10):
        for day in range(first_day, last_day + 1):
            self._run_sequences(start + day * DAY)

    # ------------------------------------------------------------------
    def test_followup_enrols_once_and_mails_on_the_right_days(self):
        cv = self._exported_cv()
        # a second CV, exported a day later, is due for its follow-up tomorrow
        second = self._exported_cv(name="CV carrosserie", when=MONDAY_10 + 2 * DAY)
        self.assertEqual(self._followup(MONDAY_10), cv)
        enrolment = self._enrolments()
        self.assertEqual(len(enrolment), 1)
        self.assertEqual(enrolment.sequence_id, self.sequence)
        self.assertEqual(enrolment.origin, "career")
        lead = enrolment.lead_id
        self.assertEqual(lead.partner_id, self.learner.partner_id)
        self.assertEqual(lead.atelier_channel, "career")
        self.assertEqual(
            lead.source_id, self.env.ref("atelier_career_crm.utm_source_cv_followup")
        )
        self.assertEqual(lead.atelier_profile, "learner")
        self.assertIn(cv.name, lead.description)
        # a second CV followed up the next day: same lead, never a second enrolment
        self.assertEqual(self._followup(MONDAY_10 + DAY), second)
        self.assertEqual(self._enrolments(), enrolment)
        self.assertEqual(
            self.env["crm.lead"].search_count(
                [("partner_id", "=", self.learner.partner_id.id)]
            ),
            1,
        )
        # J0 is the CV builder's check-in: the sequence sends nothing that day
        self._daily(0, 6)
        self.assertFalse(self._sequence_mails(enrolment))
        self.assertEqual(enrolment.step_log_ids.step_id, self.steps[0])
        self._daily(7, 7)
        j7 = self._sequence_mails(enrolment)
        self.assertEqual(j7.subject, self.steps[1].mail_template_id.subject)
        self.assertIn(self.learner.email, j7.email_to)
        # the link to the simulator is tracked like every sequence link
        tracker = self.env["link.tracker"].search(
            [("url", "like", "%/my/career/interview/new")]
        )
        self.assertEqual(len(tracker), 1)
        self.assertIn(f"/r/{tracker.code}/s/", j7.body_html)
        self.assertIn("/atelier/crm/unsubscribe?email=", j7.body_html)
        self.assertIn(f"The {self.env.company.name} team", j7.body_html)
        self._daily(8, 13)
        self.assertEqual(self._sequence_mails(enrolment), j7)
        self._daily(14, 16)
        mails = self._sequence_mails(enrolment)
        self.assertEqual(
            sorted(mails.mapped("subject")),
            sorted(step.mail_template_id.subject for step in self.steps[1:]),
        )
        self.assertEqual(enrolment.state, "done")
        # the learner reads French: the sequence's e-mails are in French
        self.assertEqual(
            self.steps.with_context(lang="fr_FR")[1].mail_template_id.subject,
            "Votre CV est prêt : entraînez-vous à l'entretien",
        )

    def test_an_interview_started_stops_the_followup(self):
        self._exported_cv()
        self._followup(MONDAY_10)
        enrolment = self._enrolments()
        self._daily(0, 7)
        self.assertEqual(len(self._sequence_mails(enrolment)), 1)
        with freeze_time(MONDAY_10 + 8 * DAY):
            self.start()  # as the learner, through the simulator's own entry
        self.assertEqual(enrolment.state, "stopped")
        self.assertEqual(enrolment.stop_reason, "career_interview")
        j7_log = enrolment.step_log_ids.filtered(lambda log: log.state == "sent")
        self.assertEqual(j7_log.converted, 1, "the J+7 e-mail converted")
        self._daily(9, 16)
        self.assertEqual(len(self._sequence_mails(enrolment)), 1, "no J+14 e-mail")

    def test_editing_or_exporting_the_cv_again_stops_the_followup(self):
        cv = self._exported_cv()
        other_cv = self._exported_cv(user=self.other)
        self.Consent._atelier_log(
            [self.other.email], "sequence", "granted", "website_form"
        )
        self._followup(MONDAY_10)
        mine, theirs = self._enrolments(), self._enrolments(self.other)
        self.assertTrue(mine and theirs)
        # another learner's edit leaves mine running
        other_cv.with_user(self.other).write({"headline": "Carrossier peintre"})
        self.assertEqual(mine.state, "active")
        self.assertEqual(theirs.stop_reason, "career_cv")
        # my own edit (as the portal learner, who has no CRM rights) stops mine
        cv.with_user(self.learner).write({"headline": "Technicien diagnostic VE"})
        self.assertEqual(mine.state, "stopped")
        self.assertEqual(mine.stop_reason, "career_cv")
        self._daily(0, 16)
        self.assertFalse(self._sequence_mails(mine | theirs))

    def test_an_export_again_stops_the_followup(self):
        cv = self._exported_cv()
        self._followup(MONDAY_10)
        enrolment = self._enrolments()
        # what the export writes once its PDF passed (the PDF itself is
        # covered by atelier_career's tests)
        cv.sudo().exported_date = MONDAY_10 + DAY
        self.assertEqual(enrolment.stop_reason, "career_cv")

    def test_an_opted_out_learner_gets_nothing(self):
        self.Consent._atelier_unsubscribe(self.learner.email, ["sequence"])
        blacklisted = make_learner(self.env, "career_bl", "Bérénice Liste")
        self.Consent._atelier_unsubscribe(
            blacklisted.email, ["newsletter", "sequence", "partner_offers"]
        )
        cvs = self._exported_cv() | self._exported_cv(user=blacklisted)
        self._followup(MONDAY_10)
        self._daily(0, 16)
        self.assertTrue(all(cvs.mapped("followup_date")), "never followed up later")
        mails = self.env["mail.mail"].search(
            [
                "|",
                "&",
                ("model", "=", "atelier.career.cv"),
                ("res_id", "in", cvs.ids),
                ("recipient_ids", "in", cvs.user_id.partner_id.ids),
            ]
        )
        self.assertFalse(mails, "no check-in, no sequence e-mail")
        self.assertFalse(self._enrolments() | self._enrolments(blacklisted))
        self.assertFalse(
            self.env["crm.lead"].search(
                [("partner_id", "in", cvs.user_id.partner_id.ids)]
            )
        )

    def test_no_consent_yet_a_lead_but_no_sequence(self):
        learner = make_learner(self.env, "career_nc", "Noé Consent")
        cv = self._exported_cv(user=learner)
        self._followup(MONDAY_10)
        checkin = self.env["mail.mail"].search(
            [("model", "=", "atelier.career.cv"), ("res_id", "=", cv.id)]
        )
        self.assertEqual(len(checkin), 1, "the CV builder's check-in still goes")
        lead = self.env["crm.lead"].search([("partner_id", "=", learner.partner_id.id)])
        self.assertEqual(lead.atelier_channel, "career")
        self.assertFalse(self._enrolments(learner))
        self.assertIn("has not agreed to advice e-mails", lead.message_ids[0].body)

    def test_the_learner_reaches_no_crm_record(self):
        self._exported_cv()
        self._followup(MONDAY_10)
        enrolment = self._enrolments()
        with self.assertRaises(AccessError):
            enrolment.with_user(self.learner).read(["state"])
        with self.assertRaises(AccessError):
            enrolment.lead_id.with_user(self.learner).read(["name"])
        with self.assertRaises(AccessError):
            self.sequence.with_user(self.learner).write({"atelier_career_stop": False})
