# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..tools import ats, interview_engine
from .common import CareerCase, cv_values

STRONG = (
    "Sur une Clio qui calait, j'ai lu les codes défaut avec la valise, puis mesuré la "
    "tension du capteur au multimètre : 0,4 V au lieu de 5 V. J'ai vérifié le schéma, "
    "trouvé le faisceau coupé, réparé, et expliqué au client le devis et la garantie."
)


@tagged("post_install", "-at_install")
class TestInterview(CareerCase):
    def test_consent_plan_and_duration_are_checked(self):
        with self.assertRaises(UserError):
            self.start(consent=False)
        with self.assertRaises(UserError):
            self.start(duration=7)
        with self.assertRaises(UserError, msg="Starter has the standard personas only"):
            self.start(persona=self.flotte)
        session = self.start(voice=True, keep=True)
        self.assertEqual(session.user_id, self.learner)
        self.assertTrue(session.consent_date)
        self.assertTrue(session.voice_opt_in)
        self.assertFalse(session.training_opt_in)
        first = session.message_ids
        self.assertEqual(len(first), 1)
        self.assertIn(self.chef.question_ids[0].text, first.content)

    def test_follow_up_on_vague_answers_then_next_question(self):
        session = self.start()
        reply = session.action_answer("Je ne sais pas, ça dépend.")
        self.assertEqual(reply, self.chef.question_ids[0].followup)
        reply = session.action_answer("Toujours pas d'idée.")
        self.assertEqual(
            reply, self.chef.question_ids[1].text, "one follow-up per question"
        )
        reply = session.action_answer(STRONG)
        self.assertEqual(
            reply,
            self.chef.question_ids[2].text,
            "no follow-up after a concrete answer",
        )

    def test_nudge_once_after_a_silence(self):
        session = self.start()
        self.assertEqual(session.action_nudge(), self.chef.nudge)
        self.assertEqual(
            session.action_nudge(), "", "one nudge until the learner answers"
        )
        self.assertEqual(session.message_ids[-1].kind, "nudge")

    def test_oversized_answer_is_cut_with_a_message(self):
        session = self.start()
        session.action_answer("mot " * 2000)
        learner = session.message_ids.filtered(lambda m: m.role == "learner")
        self.assertEqual(len(learner.content), interview_engine.MAX_ANSWER - 1)
        self.assertTrue(learner.truncated)
        self.assertTrue(session.message_ids.filtered(lambda m: m.role == "notice"))

    def test_timer_pause_and_end_on_time(self):
        start = datetime(2026, 3, 10, 9, 0)
        with freeze_time(start) as frozen:
            session = self.start(duration=5)
            frozen.tick(timedelta(minutes=2))
            session.action_pause()
            frozen.tick(timedelta(minutes=10))
            self.assertEqual(
                session._remaining_seconds(), 180, "paused time does not count"
            )
            with self.assertRaises(UserError):
                session.action_answer(STRONG)
            session.action_resume()
            frozen.tick(timedelta(minutes=4))
            session.action_answer(STRONG)
            self.assertEqual(session.state, "done")
            self.assertEqual(session.end_reason, "time")
            self.assertEqual(session.synthesis_state, "ready")
            with self.assertRaises(UserError):
                session.action_answer("encore")

    def test_end_on_demand_gives_a_quoted_offline_synthesis(self):
        session = self.start()
        session.action_answer(STRONG)
        session.action_end()
        self.assertEqual(session.state, "done")
        self.assertEqual(session.synthesis_mode, "offline")
        self.assertEqual(len(session.score_ids), len(self.chef.criterion_ids))
        self.assertTrue(session.synthesis_short, "Starter: short feedback")
        self.assertLessEqual(len(session.finding_ids), 2)
        for finding in session.finding_ids:
            self.assertIn(finding.quote, STRONG)
        diagnostic = session.score_ids.filtered(
            lambda s: s.criterion == "Méthode de diagnostic"
        )
        self.assertGreaterEqual(diagnostic.score, 4)

    def test_quota_counts_months_in_the_learner_time_zone(self):
        self.starter.monthly_quota = 2
        self.learner.tz = "Pacific/Auckland"  # UTC+13 in January
        # 31 January 10:30 UTC = 31 January 23:30 in Auckland
        with freeze_time("2026-01-31 10:30:00"):
            self.start()
            self.start()
            with self.assertRaises(UserError) as caught:
                self.start()
            self.assertIn("2", caught.exception.args[0])
            status = self.env["atelier.career.session"]._quota_status(self.learner)
            self.assertEqual((status["used"], status["left"]), (2, 0))
        # 31 January 11:30 UTC = 1 February 00:30 in Auckland: a new month
        with freeze_time("2026-01-31 11:30:00"):
            self.start()
            status = self.env["atelier.career.session"]._quota_status(self.learner)
            self.assertEqual(status["used"], 1)
        # a learner in Paris is still in January then
        self.other.tz = "Europe/Paris"
        with freeze_time("2026-01-31 10:00:00"):
            self.start(user=self.other)
            self.start(user=self.other)
        with freeze_time("2026-01-31 22:30:00"):  # 23:30 in Paris
            with self.assertRaises(UserError):
                self.start(user=self.other)

    def test_pro_is_unlimited_with_every_persona(self):
        self.give_pro(self.learner)
        self.starter.monthly_quota = 1
        for persona in self.personas:
            self.start(persona=persona)
        status = self.env["atelier.career.session"]._quota_status(self.learner)
        self.assertEqual(status["limit"], 0)

    def test_purge_after_30_days(self):
        with freeze_time("2026-04-01 10:00:00"):
            kept = self.start(keep=True)
            kept.action_answer(STRONG)
            kept.action_end()
            dropped = self.start()
            dropped.action_answer(STRONG)
            dropped.action_end()
        Session = self.env["atelier.career.session"]
        with freeze_time("2026-04-30 10:00:00"):
            self.assertFalse(Session._cron_purge(), "29 days: nothing purged")
        with freeze_time("2026-05-01 10:00:01"):
            purged = Session._cron_purge()
        self.assertEqual(purged, kept | dropped)
        self.assertFalse(kept.message_ids | dropped.message_ids)
        self.assertTrue(kept.score_ids, "the learner agreed to keep the synthesis")
        self.assertEqual(kept.synthesis_state, "ready")
        self.assertFalse(dropped.score_ids)
        self.assertFalse(dropped.finding_ids)
        logs = self.env["atelier.career.purge.log"].search(
            [("session_ref", "in", purged.ids)]
        )
        self.assertEqual(len(logs), 2)
        self.assertEqual(set(logs.mapped("reason")), {"retention"})
        self.assertTrue(all(log.lines_deleted >= 3 for log in logs))
        with freeze_time("2026-05-02 10:00:00"):
            self.assertFalse(Session._cron_purge(), "a purge happens once")

    def test_scenarios_csv_round_trip_and_errors(self):
        Persona = self.env["atelier.career.persona"].with_user(self.coach)
        csv_text = self.chef.with_user(self.coach)._export_csv()
        renamed = csv_text.replace("chef_atelier", "chef_atelier_bis")
        imported = Persona._import_csv(renamed.encode())
        self.assertEqual(imported.code, "chef_atelier_bis")
        self.assertTrue(imported.is_custom)
        self.assertEqual(
            imported.question_ids.mapped("text"), self.chef.question_ids.mapped("text")
        )
        self.assertEqual(
            [c._as_dict() for c in imported.criterion_ids],
            [c._as_dict() for c in self.chef.criterion_ids],
        )
        # importing again replaces, never duplicates
        again = Persona._import_csv(renamed.encode())
        self.assertEqual(again, imported)
        self.assertEqual(len(again.question_ids), len(self.chef.question_ids))
        for bad in (
            b"persona_code,kind\nx,question\n",
            renamed.replace(",question,", ",questionnaire,").encode(),
            b"\xff\xfe not utf-8",
        ):
            with self.assertRaises(UserError):
                Persona._import_csv(bad)

    def test_custom_scenario_is_pro_only(self):
        custom = (
            self.env["atelier.career.persona"]
            .with_user(self.coach)
            .create(
                {
                    "name": "Coach",
                    "code": "coach_own",
                    "role": "Coach",
                    "tone": "Calme",
                    "tier": "standard",
                }
            )
        )
        self.assertTrue(custom.is_custom)
        self.env["atelier.career.persona.question"].create(
            {"persona_id": custom.id, "text": "Question ?"}
        )
        with self.assertRaises(UserError):
            self.start(persona=custom)
        self.give_pro(self.learner)
        self.assertTrue(self.start(persona=custom))

    def test_session_pdf_holds_the_synthesis_and_the_transcript(self):
        self.learner.lang = "fr_FR"
        self.give_pro(self.learner)
        session = self.start()
        session.action_answer(STRONG)
        session.action_end()
        self.assertTrue(session.finding_ids)
        with self.allow_pdf_render():
            pdf = session.sudo()._render_pdf()
        text = " ".join(ats.extract_text(pdf).split())
        question = " ".join(self.chef.question_ids[0].text.split())
        for expected in ("Synthèse", "Points forts", "Transcription", question):
            self.assertIn(expected, text)
        for finding in session.finding_ids:
            self.assertIn(" ".join(finding.quote.split()), text)
        for score in session.score_ids:
            self.assertIn(score.criterion, text)

    def test_followup_once_for_a_cv_exported_and_untouched_for_14_days(self):
        self.learner.lang = "fr_FR"
        Cv = self.env["atelier.career.cv"].with_user(self.learner)
        untouched = Cv.create(cv_values(name="CV exporté"))
        edited = Cv.create(cv_values(name="CV retouché"))
        recent = Cv.create(cv_values(name="CV récent"))
        now = datetime(2026, 3, 20, 9, 0)
        day = timedelta(days=1)
        untouched.sudo().write(
            {"exported_date": now - 15 * day, "edited_date": now - 16 * day}
        )
        edited.sudo().write({"exported_date": now - 15 * day, "edited_date": now - day})
        recent.sudo().write(
            {"exported_date": now - 13 * day, "edited_date": now - 14 * day}
        )
        Model = self.env["atelier.career.cv"]
        with freeze_time(now):
            self.assertEqual(Model._cron_followup(), untouched)
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "atelier.career.cv"),
                ("res_id", "in", (untouched | edited | recent).ids),
            ]
        )
        self.assertEqual(mails.mapped("res_id"), untouched.ids)
        self.assertIn("où en est votre recherche", mails.subject)
        self.assertEqual(mails.recipient_ids, self.learner.partner_id)
        with freeze_time(now + day):
            # the recent CV reaches its 14 days; the first one is not mailed again
            self.assertEqual(Model._cron_followup(), recent)
        with freeze_time(now + 2 * day):
            self.assertFalse(Model._cron_followup(), "one check-in per export")
