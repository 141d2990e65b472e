# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo import Command
from odoo.tests import TransactionCase, tagged

from .common import AcademyFixtures


class PlacementFixtures(AcademyFixtures):
    @classmethod
    def _setup_placement(cls):
        """A placement test: one section per domain, two questions each."""
        questions = []
        sequence = 0
        cls.sections = {}
        for domain, competency in (
            ("thermal", cls.comp_misfire),
            ("electric", cls.comp_ht),
            ("diagnostics", cls.comp_can),
        ):
            sequence += 1
            questions.append(
                Command.create(
                    {
                        "title": f"Section {domain}",
                        "is_page": True,
                        "question_type": False,
                        "sequence": sequence,
                        "atelier_domain": domain,
                    }
                )
            )
            for index in range(2):
                sequence += 1
                questions.append(
                    Command.create(
                        cls._choice_question(
                            f"{domain} {index}", competency, sequence, good=2.0, bad=0.0
                        )
                    )
                )
        cls.placement = cls.env["survey.survey"].create(
            {
                "title": f"{cls.prefix} Test de positionnement",
                "atelier_kind": "placement",
                "scoring_type": "scoring_without_answers",
                "access_mode": "public",
                "questions_layout": "page_per_section",
                "question_and_page_ids": questions,
            }
        )
        Band = cls.env["atelier.academy.placement.band"]

        def band(name, sequence, conditions, path, package=None, explanation=None):
            return Band.create(
                {
                    "name": name,
                    "sequence": sequence,
                    "survey_id": cls.placement.id,
                    "condition_ids": [
                        Command.create(
                            {"score_on": score_on, "score_min": low, "score_max": high}
                        )
                        for score_on, low, high in conditions
                    ],
                    "path_id": path.id,
                    "package_id": package.id if package else False,
                    "explanation": explanation,
                }
            )

        cls.band_expert = band(
            "Déjà expert VE",
            10,
            [("electric", 75, 100), ("thermal", 50, 100)],
            cls.path_short,
        )
        cls.band_beginner = band(
            "Débutant",
            20,
            [("global", 0, 40)],
            cls.path,
            cls.package,
            "Les bases d'abord.",
        )
        cls.band_middle = band(
            "Intermédiaire", 30, [("global", 40, 100)], cls.path_short
        )
        cls.band_rest = band("Les autres", 40, [], cls.path)

    def answer_placement(self, user=None, email=None, right=None):
        """Take the placement test; ``right``: {domain: number of right answers}."""
        right = right or {}
        user = user or self.env.ref("base.public_user")
        answer = self.placement.sudo()._create_answer(user=user, email=email)
        questions = self.placement.question_ids.sorted("sequence")
        counts = {}
        for question in questions:
            domain = question.page_id.atelier_domain
            counts[domain] = counts.get(domain, 0) + 1
            good = counts[domain] <= right.get(domain, 0)
            choice = question.suggested_answer_ids.filtered(
                lambda a, good=good: a.is_correct == good
            )
            self.env["survey.user_input.line"].sudo().create(
                {
                    "user_input_id": answer.id,
                    "question_id": question.id,
                    "answer_type": "suggestion",
                    "suggested_answer_id": choice.id,
                }
            )
        answer._mark_done()
        return answer.atelier_placement_result_ids


@tagged("post_install", "-at_install")
class TestPlacement(PlacementFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_academy("plc")
        cls._setup_placement()

    def test_sub_scores_per_domain_and_competency(self):
        result = self.answer_placement(
            self.learner, right={"thermal": 2, "electric": 1, "diagnostics": 0}
        )
        domains = {s.domain: s.percentage for s in result.domain_score_ids}
        self.assertEqual(
            domains, {"thermal": 100.0, "electric": 50.0, "diagnostics": 0.0}
        )
        competencies = {
            s.competency_id: s.percentage for s in result.competency_score_ids
        }
        self.assertEqual(competencies[self.comp_misfire], 100.0)
        self.assertEqual(competencies[self.comp_ht], 50.0)
        self.assertEqual(competencies[self.comp_can], 0.0)
        self.assertEqual(result.global_score, 50.0)
        self.assertEqual(
            result.competency_score_ids.filtered(
                lambda s: s.competency_id == self.comp_ht
            ).max_score,
            4.0,
        )

    def test_band_domain_first(self):
        # electric 100 % and thermal 50 %: the two conditions of the domain
        # band (sequence 10) hold, it wins over the global one
        result = self.answer_placement(
            self.learner, right={"electric": 2, "thermal": 1}
        )
        self.assertEqual(result.band_id, self.band_expert)
        self.assertEqual(result.path_id, self.path_short)
        # a free path: the learner (a user) is enrolled in it
        self.assertEqual(result.state, "enrolled")
        self.assertEqual(result.enrolment_id.partner_id, self.learner.partner_id)
        self.assertEqual(result.enrolment_id.path_id, self.path_short)
        explanation = result._atelier_explanation()
        self.assertEqual(len(explanation), 2)
        self.assertIn("100 % — band “Déjà expert VE” (75 % or more)", explanation[0])
        self.assertIn("50 % — band “Déjà expert VE” (50 % or more)", explanation[1])
        # electric 100 % but thermal 0 %: one condition fails, the next band
        result = self.answer_placement(self.learner2, right={"electric": 2})
        self.assertEqual(result.band_id, self.band_beginner)

    def test_band_beginner_offers_the_package(self):
        result = self.answer_placement(self.learner, right={"thermal": 1})
        # the global score is the mean of the domains: (50 + 0 + 0) / 3
        self.assertEqual(result.global_score, 16.7)
        self.assertEqual(result.band_id, self.band_beginner)
        self.assertEqual(result.state, "offered")
        self.assertEqual(result.package_id, self.package)
        self.assertFalse(result.enrolment_id)
        self.assertFalse(
            self.env["atelier.academy.enrolment"].search(
                [("partner_id", "=", self.learner.partner_id.id)]
            )
        )

    def test_band_middle_and_edges(self):
        # 50 % exactly is the lower edge of the middle band ([50, 100])
        self.band_middle.condition_ids.score_min = 50.0
        self.band_beginner.condition_ids.score_max = 50.0
        result = self.answer_placement(
            self.learner, right={"thermal": 2, "diagnostics": 1}
        )
        self.assertEqual(result.global_score, 50.0)
        self.assertEqual(result.band_id, self.band_middle)
        # 100 % is inside a band ending at 100 (the domain band wins first)
        result = self.answer_placement(
            self.learner2, right={"thermal": 2, "electric": 2, "diagnostics": 2}
        )
        self.assertEqual(result.global_score, 100.0)
        self.assertEqual(result.band_id, self.band_expert)
        # a band without condition takes the rest
        (self.band_expert | self.band_middle).active = False
        result = self.answer_placement(
            self.outsider, right={"thermal": 2, "electric": 2}
        )
        self.assertEqual(result.band_id, self.band_rest)
        self.assertIn("No other band matched", result._atelier_explanation()[0])
        # no band at all: nothing recommended, nobody enrolled
        self.band_rest.active = False
        result = self.answer_placement(
            self.learner, right={"thermal": 2, "electric": 2}
        )
        self.assertEqual(result.state, "no_match")
        self.assertFalse(result.path_id)
        self.assertFalse(result.enrolment_id)

    def test_visitor_becomes_a_contact(self):
        result = self.answer_placement(
            email="Nouveau.Visiteur@Example.com", right={"thermal": 2, "diagnostics": 1}
        )
        self.assertEqual(result.email, "nouveau.visiteur@example.com")
        self.assertEqual(
            result.partner_id.email, "Nouveau.Visiteur@Example.com".lower()
        )
        self.assertEqual(result.band_id, self.band_middle)
        # no account: invited to sign up, not enrolled
        self.assertEqual(result.state, "signup")
        # the same visitor again: the same contact
        again = self.answer_placement(email="nouveau.visiteur@example.com")
        self.assertEqual(again.partner_id, result.partner_id)

    def test_hook_called_once(self):
        Result = self.env["atelier.academy.placement.result"]
        with patch.object(
            type(Result), "_atelier_on_placement_done", autospec=True, return_value=True
        ) as hook:
            result = self.answer_placement(self.learner2, right={"thermal": 2})
            Result._atelier_create_from(result.user_input_id)
            result.user_input_id._mark_done()
        self.assertEqual(hook.call_count, 1)
        self.assertEqual(hook.call_args.args[1], result)
        self.assertTrue(result.hook_done)
        self.assertEqual(
            Result.search_count([("user_input_id", "=", result.user_input_id.id)]), 1
        )

    def test_test_entries_are_ignored(self):
        answer = self.placement.sudo()._create_answer(
            user=self.env.user, test_entry=True
        )
        answer._mark_done()
        self.assertFalse(answer.atelier_placement_result_ids)
