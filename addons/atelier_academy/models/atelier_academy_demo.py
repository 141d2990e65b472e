# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL

PARIS = pytz.timezone("Europe/Paris")


class AtelierAcademyDemo(models.AbstractModel):
    """The demo story of the academy (demo data only).

    Learners follow their lessons through the real code paths, as
    themselves: heartbeats in the past, quizzes, exams, signatures. Called
    once by demo/atelier_academy_story_demo.xml.
    """

    _name = "atelier.academy.demo"
    _description = "Academy demo story"

    @api.model
    def _atelier_demo_story(self):
        ref = self.env.ref
        Enrolment = self.env["atelier.academy.enrolment"].sudo()
        sophie = ref("atelier_academy.user_sophie")
        karim, julie = (
            ref("atelier_academy.user_karim"),
            ref("atelier_academy.user_julie"),
        )
        lucas, nadia = (
            ref("atelier_academy.user_lucas"),
            ref("atelier_academy.user_nadia"),
        )
        primo, garages = (
            ref("atelier_academy.package_primo"),
            ref("atelier_academy.package_garages"),
        )
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()

        # the placement test Karim took before buying his package
        self._atelier_demo_placement(karim, good={"thermal": 2})

        enrol = Enrolment._atelier_enrol
        e_karim = enrol(
            karim.partner_id,
            primo,
            "demo:vente:karim",
            path=ref("atelier_academy.path_fondamentaux_atelier"),
            coach=sophie,
        )
        e_julie = enrol(
            julie.partner_id,
            primo,
            "demo:vente:julie",
            path=ref("atelier_academy.path_technicien_polyvalent"),
            coach=sophie,
        )
        e_lucas = enrol(
            lucas.partner_id,
            primo,
            "demo:vente:lucas",
            path=ref("atelier_academy.path_fondamentaux_atelier"),
            coach=sophie,
        )
        e_nadia = enrol(
            nadia.partner_id,
            garages,
            "demo:vente:garage-nadia",
            path=ref("atelier_academy.path_adas_diagnostic"),
            coach=sophie,
        )
        team = self.env["res.partner"].browse(
            [
                ref("atelier_academy.partner_thomas_girard").id,
                ref("atelier_academy.partner_ines_lambert").id,
                ref("atelier_academy.partner_hugo_perrin").id,
            ]
        )
        e_team = enrol(
            team,
            garages,
            "demo:vente:garage-du-rhone",
            path=ref("atelier_academy.path_transition_electrifiee"),
            coach=sophie,
        )
        Intake = self.env["atelier.academy.intake"].sudo()
        promo = Intake.create(
            {
                "name": "Promo mars 2027",
                "coach_id": sophie.id,
                "path_id": ref("atelier_academy.path_fondamentaux_atelier").id,
                "date_start": today - timedelta(days=21),
                "date_end": today + timedelta(weeks=45),
            }
        )
        (e_karim | e_julie | e_lucas).intake_id = promo
        garage = Intake.create(
            {
                "name": "Garage du Rhône — équipe électrifiée",
                "coach_id": sophie.id,
                "path_id": ref("atelier_academy.path_transition_electrifiee").id,
                "date_start": today - timedelta(days=7),
            }
        )
        (e_team | e_nadia).intake_id = garage
        # they started three weeks ago
        self.env.cr.execute(
            SQL(
                "UPDATE atelier_academy_enrolment "
                "SET create_date = %s, date_start = %s WHERE id IN %s",
                now - timedelta(days=21),
                today - timedelta(days=21),
                tuple((e_karim | e_julie | e_lucas | e_nadia).ids),
            )
        )
        Enrolment.invalidate_model(["create_date", "date_start"])

        # the lessons they followed
        diagnostic = ref("atelier_academy.course_diagnostic")
        self._atelier_demo_follow(karim, diagnostic, lessons=4, days_ago=12, slips=2)
        self._atelier_demo_follow(julie, diagnostic, days_ago=19, exam_right=9, slips=1)
        thermique = ref("atelier_academy.course_thermique")
        self._atelier_demo_follow(julie, thermique, lessons=3, days_ago=5, slips=3)
        self._atelier_demo_follow(nadia, diagnostic, days_ago=20, exam_right=10)
        self._atelier_demo_follow(
            nadia, ref("atelier_academy.course_adas"), days_ago=9, exam_right=9
        )

        # coaching sessions of the intake, attendance and signed presence
        Session = self.env["atelier.academy.session"].sudo()
        for week, states in enumerate(
            (
                ("present", "present", "present"),
                ("present", "late", "absent"),
                ("late", "present", "absent"),
            )
        ):
            start = self._atelier_demo_time(today - timedelta(days=18 - 7 * week), 14)
            session = Session.create(
                {
                    "name": f"Coaching collectif — semaine {week + 1}",
                    "intake_id": promo.id,
                    "coach_id": sophie.id,
                    "kind": "group",
                    "start": start,
                    "stop": start + timedelta(hours=2),
                    "location": "Salle de formation, 40 rue Garibaldi",
                    "state": "done",
                }
            )
            by_learner = dict(zip((karim, julie, lucas), states, strict=True))
            for attendance in session.attendance_ids:
                user = attendance.partner_id.user_ids[:1]
                attendance.state = by_learner.get(user, "expected")
        for days, name in (
            (2, "Coaching collectif — semaine 4"),
            (9, "Coaching collectif — semaine 5"),
        ):
            start = self._atelier_demo_time(today + timedelta(days=days), 14)
            Session.create(
                {
                    "name": name,
                    "intake_id": promo.id,
                    "coach_id": sophie.id,
                    "start": start,
                    "stop": start + timedelta(hours=2),
                    "location": "Salle de formation, 40 rue Garibaldi",
                }
            )
        start = self._atelier_demo_time(today + timedelta(days=4), 10)
        Session.create(
            {
                "name": "Point individuel : plan de formation de Karim",
                "coach_id": sophie.id,
                "kind": "one_to_one",
                "start": start,
                "stop": start + timedelta(hours=1),
                "location": "Visioconférence",
                "enrolment_ids": [fields.Command.set(e_karim.ids)],
            }
        )
        Signature = self.env["atelier.academy.signature"].sudo()
        signatures = Signature
        for days in (18, 11, 4):
            moment = self._atelier_demo_time(today - timedelta(days=days), 14, 5)
            for enrolment in (e_karim, e_julie):
                signatures |= Signature._atelier_sign(
                    enrolment,
                    "192.0.2.24",
                    "Mozilla/5.0 (Android 14; Mobile)",
                    now=moment,
                )
        signatures[:4].with_user(sophie).action_countersign()

        # exchanges with the tutor
        e_karim.with_user(sophie).message_post(
            body="Bonjour Karim, bravo pour vos premières leçons sur l'OBD. Pour le "
            "quiz sur les codes défaut, relisez la partie sur les codes U avant de "
            "recommencer : c'est là que vous avez hésité.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        e_karim.message_post(
            body="Merci Sophie, c'est plus clair. Je termine le module cette semaine.",
            author_id=karim.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        # Lucas has not come back for ten days: the drop-out prevention acts
        self.env["atelier.academy.enrolment"]._cron_dropout_prevention()
        return True

    # ------------------------------------------------------------------
    @api.model
    def _atelier_demo_time(self, day, hour, minute=0):
        local = PARIS.localize(datetime.combine(day, time(hour, minute)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _atelier_demo_follow(
        self, user, channel, lessons=None, days_ago=10, exam_right=None, slips=0
    ):
        """``user`` follows ``lessons`` lessons of ``channel`` (all: None),
        one a day from ``days_ago``, measured by heartbeats; ``slips`` quiz
        questions answered wrong first; then the exam, if ``exam_right`` is
        given (right answers out of the questions drawn)."""
        Timelog = self.env["atelier.academy.timelog"].with_user(user)
        contents = channel.sudo().slide_content_ids.filtered(
            lambda s: s.is_published and s.slide_category != "certification"
        )
        day = fields.Date.context_today(self) - timedelta(days=days_ago)
        for slide in contents[:lessons] if lessons else contents:
            moment = self._atelier_demo_time(day, 9, 30)
            minutes = max(int((slide.completion_time or 0.1) * 60) + 2, 3)
            for _beat in range(minutes * 2 + 1):
                Timelog._atelier_heartbeat(slide.id, now=moment)
                moment += timedelta(seconds=30)
            learner_slide = slide.with_user(user)
            if slide.question_ids:
                questions = slide.sudo().question_ids
                right = questions.answer_ids.filtered("is_correct")
                if slips:
                    # one wrong answer on each of the first questions
                    wrong = questions[:slips].mapped(
                        lambda q: q.answer_ids.filtered(lambda a: not a.is_correct)[:1]
                    )
                    learner_slide.action_set_viewed(quiz_attempts_inc=True)
                    learner_slide._atelier_record_quiz_attempt(
                        wrong
                        | right.filtered(
                            lambda a, wrong=wrong: (
                                a.question_id not in wrong.question_id
                            )
                        )
                    )
                    slips = 0
                learner_slide.action_set_viewed(quiz_attempts_inc=True)
                learner_slide._atelier_record_quiz_attempt(right)
                learner_slide._action_mark_completed()
            else:
                learner_slide.action_mark_completed()
            day += timedelta(days=1)
        if exam_right is not None:
            exam = channel.sudo().slide_ids.filtered(
                lambda s: s.slide_category == "certification"
            )[:1]
            learner_exam = exam.with_user(user)
            learner_exam.action_set_viewed()
            learner_exam._generate_certification_url()
            answer = (
                self.env["survey.user_input"]
                .sudo()
                .search(
                    [
                        ("slide_id", "=", exam.id),
                        ("partner_id", "=", user.partner_id.id),
                    ],
                    limit=1,
                )
            )
            answer._mark_in_progress()
            for index, question in enumerate(answer.predefined_question_ids):
                choice = question.suggested_answer_ids.filtered(
                    lambda a, good=index < exam_right: a.is_correct == good
                )[:1]
                self.env["survey.user_input.line"].sudo().create(
                    {
                        "user_input_id": answer.id,
                        "question_id": question.id,
                        "answer_type": "suggestion",
                        "suggested_answer_id": choice.id,
                    }
                )
            answer._mark_done()

    @api.model
    def _atelier_demo_placement(self, user, good):
        """``user`` takes the placement test: ``good`` right answers per domain."""
        survey = self.env.ref("atelier_academy.placement_test").sudo()
        answer = survey._create_answer(user=user)
        counts = {}
        for question in survey.question_ids.sorted("sequence"):
            if question.question_type == "char_box":
                value = user.email if question.save_as_email else user.name
                answer._save_lines(question, value)
                continue
            domain = question.page_id.atelier_domain
            counts[domain] = counts.get(domain, 0) + 1
            scores = question.suggested_answer_ids.sorted("answer_score")
            choice = scores[-1] if counts[domain] <= good.get(domain, 0) else scores[0]
            self.env["survey.user_input.line"].sudo().create(
                {
                    "user_input_id": answer.id,
                    "question_id": question.id,
                    "answer_type": "suggestion",
                    "suggested_answer_id": choice.id,
                }
            )
        answer._mark_done()
        return answer
