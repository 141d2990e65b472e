# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CareerCase

COMPLETE = {
    "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
    "basics": {
        "name": "Karim Benali",
        "label": "Technicien diagnostic",
        "image": "https://example.com/karim.jpg",
        "email": "karim.benali@example.com",
        "phone": "06 12 34 56 78",
        "url": "https://karim.example.com",
        "summary": "Technicien automobile de confiance.\nSpécialiste du diagnostic.",
        "location": {
            "address": "12 rue des Tanneurs",
            "postalCode": "69100",
            "city": "Villeurbanne",
            "countryCode": "FR",
            "region": "Auvergne-Rhône-Alpes",
        },
        "profiles": [
            {
                "network": "LinkedIn",
                "username": "kbenali",
                "url": "https://linkedin.example.com/kbenali",
            }
        ],
    },
    "work": [
        {
            "name": "Garage du Rhône",
            "position": "Mécanicien diagnostic",
            "location": "Lyon",
            "url": "https://garage-du-rhone.example.com",
            "startDate": "2019-09",
            "endDate": "2024-06-30",
            "summary": "Diagnostic électrique et électronique.",
            "highlights": [
                "Réduit les retours de 30 %",
                "Formé deux apprentis, dont un, deux",
            ],
            "description": "Garage indépendant",
        },
        {"name": "Auto Centre", "position": "Apprenti", "startDate": "2017"},
    ],
    "volunteer": [
        {"organization": "Restos du cœur", "position": "Bénévole", "startDate": "2015"}
    ],
    "education": [
        {
            "institution": "Lycée Marcel Sembat",
            "url": "https://lycee.example.com",
            "area": "Maintenance des véhicules",
            "studyType": "Bac pro",
            "startDate": "2014",
            "endDate": "2017",
            "score": "Mention bien",
            "courses": ["Électricité", "Moteurs"],
        }
    ],
    "awards": [
        {
            "title": "Meilleur apprenti",
            "date": "2017-06",
            "awarder": "CFA",
            "summary": "Prix régional",
        }
    ],
    "certificates": [
        {
            "name": "Habilitation B2VL",
            "date": "2024-03-01",
            "issuer": "Académie Atelier",
            "url": "https://atelier.example.com/academy/verify/ABC",
        }
    ],
    "publications": [
        {"name": "Diagnostiquer un CAN", "publisher": "Blog", "releaseDate": "2023"}
    ],
    "skills": [
        {
            "name": "Diagnostic",
            "level": "Expert",
            "keywords": ["OBD", "Multimètre", "Oscilloscope"],
        },
        {"name": "Relation client", "keywords": ["Conseil", "Devis, facture"]},
    ],
    "languages": [
        {"language": "Français", "fluency": "Langue maternelle"},
        {"language": "Anglais", "fluency": "B1"},
    ],
    "interests": [{"name": "Sport automobile", "keywords": ["Rallye"]}],
    "references": [{"name": "Marc Dupont", "reference": "Très fiable."}],
    "projects": [
        {
            "name": "Banc de test",
            "startDate": "2022",
            "highlights": ["Arduino"],
            "url": "https://example.com/banc",
        }
    ],
    "meta": {
        "canonical": "https://example.com/resume.json",
        "version": "v1.0.0",
        "lastModified": "2024-07-01T10:00:00",
    },
}


@tagged("post_install", "-at_install")
class TestJsonResume(CareerCase):
    def test_round_trip_is_lossless(self):
        Cv = self.env["atelier.career.cv"].with_user(self.learner)
        cv = Cv._import_json_resume(json.dumps(COMPLETE).encode())
        self.assertEqual(cv.user_id, self.learner)
        self.assertEqual(cv.full_name, "Karim Benali")
        self.assertEqual(
            len(cv.line_ids.filtered(lambda x: x.section == "experience")), 2
        )
        self.assertEqual(cv.action_export_json(), COMPLETE)
        # and once more through the editor's own fields
        again = Cv._import_json_resume(json.dumps(cv.action_export_json()).encode())
        self.assertEqual(again.action_export_json(), COMPLETE)

    def test_an_edit_shows_in_the_export(self):
        cv = (
            self.env["atelier.career.cv"]
            .with_user(self.learner)
            ._import_json_resume(json.dumps(COMPLETE))
        )
        cv.line_ids.filtered(lambda x: x.section == "skill")[:1].keywords = "OBD, CAN"
        skills = cv.action_export_json()["skills"]
        self.assertEqual(skills[0]["keywords"], ["OBD", "CAN"])

    def test_bad_documents_get_a_clear_error(self):
        Cv = (
            self.env["atelier.career.cv"]
            .with_user(self.learner)
            .with_context(lang="fr_FR")
        )
        cases = {
            b"": "vide",
            b"{not json": "JSON valide",
            b"[1, 2]": "objet JSON",
            json.dumps({"basics": {"name": 12}}).encode(): "schéma JSON Resume",
            json.dumps(
                {"work": [{"startDate": "juin 2020"}]}
            ).encode(): "schéma JSON Resume",
            json.dumps(
                {"a": [[[[[[[[[[[[[[[["deep"]]]]]]]]]]]]]]]]}
            ).encode(): "imbriqué",
            json.dumps({"work": [{"name": "x"}] * 500}).encode(): "trop d'entrées",
            json.dumps({"basics": {"summary": "x" * 20000}}).encode(): "trop long",
            b"{" + b'"a": 1,' * 60000 + b'"b": 2}': "trop gros",
        }
        count = self.env["atelier.career.cv"].search_count([])
        for raw, expected in cases.items():
            with self.subTest(raw=raw[:40]), self.assertRaises(UserError) as caught:
                Cv._import_json_resume(raw)
            self.assertIn(expected, caught.exception.args[0])
        self.assertEqual(self.env["atelier.career.cv"].search_count([]), count)

    def test_job_offer_as_json_and_as_text(self):
        Job = self.env["atelier.career.job"].with_user(self.learner)
        job = Job._from_json(
            json.dumps(
                {
                    "title": "Technicien véhicules électriques",
                    "company": "Flotte Express",
                    "description": "Maintenance d'une flotte d'utilitaires "
                    "électriques.",
                    "skills": [
                        {"name": "Haute tension", "keywords": ["B2VL", "Consignation"]}
                    ],
                    "qualifications": ["Habilitation électrique"],
                }
            )
        )
        cv = (
            self.env["atelier.career.cv"]
            .with_user(self.learner)
            .create({"name": "CV", "full_name": "K", "job_id": job.id})
        )
        cv.line_ids = [(0, 0, {"section": "skill", "title": "Consignation"})]
        gap = cv.action_job_gap()
        self.assertIn("Haute tension", gap)
        self.assertIn("B2VL", gap)
        self.assertNotIn("Consignation", gap)
        pasted = Job._from_text(
            "Mécanicien poids lourds\nDiagnostic des freins pneumatiques, hydraulique."
        )
        self.assertEqual(pasted.name, "Mécanicien poids lourds")
        self.assertIn("pneumatiques", pasted._terms())
        # the offer's words: no elision, not the company's name, not a word
        # already in a skill; a plural in the CV covers a singular
        fleet = Job.create(
            {
                "name": "Technicien flotte",
                "company_name": "Express Lyon",
                "description": "Express Lyon : l'entretien des utilitaires, "
                "l'entretien des batteries.",
                "skills": "Batteries lithium-ion",
            }
        )
        terms = fleet._terms()
        self.assertEqual(terms[:2], ["Batteries lithium-ion", "entretien"])
        self.assertIn("utilitaires", terms)
        for noise in ("l'entretien", "express", "lyon", "batteries"):
            self.assertNotIn(noise, terms)
        cv.write(
            {
                "job_id": fleet.id,
                "profile": "Entretien d'un utilitaire et de sa batterie lithium-ion.",
            }
        )
        self.assertEqual(cv.action_job_gap(), [])
        with self.assertRaises(UserError):
            Job._from_json(b'{"title": 3}')
        with self.assertRaises(UserError):
            Job._from_text("   ")
