# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import TransactionCase, new_test_user

PROFILE = (
    "Technicien automobile de confiance, efficace et qualifié, je fiabilise les "
    "diagnostics électriques et j'officialise chaque intervention auprès du client."
)


def make_learner(env, login, name, tz="Europe/Paris"):
    user = new_test_user(env, login=login, name=name, groups="base.group_portal")
    user.write({"tz": tz, "email": f"{login}@example.com"})
    return user


def cv_values(name="CV diagnostic", template="classique", experiences=1):
    lines = []
    for index in range(experiences):
        lines.append(
            Command.create(
                {
                    "section": "experience",
                    "sequence": index,
                    "title": f"Mécanicien diagnostic {index + 1}",
                    "organization": f"Garage du Rhône {index + 1}",
                    "location": "Villeurbanne",
                    "date_start": f"{2010 + index}",
                    "date_end": f"{2011 + index}",
                    "description": "Diagnostic des pannes électriques, fiabilisation "
                    "des réparations et conseils aux clients sur l'efficacité "
                    "énergétique.",
                    "highlights": "Réduit les retours atelier de 30 %\n"
                    "Formé deux apprentis",
                }
            )
        )
    lines += [
        Command.create(
            {
                "section": "education",
                "title": "Bac pro maintenance des véhicules",
                "organization": "Lycée Marcel Sembat",
                "date_start": "2006",
                "date_end": "2009",
            }
        ),
        Command.create(
            {
                "section": "skill",
                "title": "Diagnostic",
                "level": "Expert",
                "keywords": "OBD, multimètre, oscilloscope",
            }
        ),
        Command.create({"section": "language", "title": "Anglais", "level": "B1"}),
        Command.create(
            {
                "section": "certificate",
                "title": "Habilitation électrique B2VL",
                "organization": "Académie Atelier",
                "date_start": "2024-03",
                "url": "https://atelier.example.com/academy/verify/ABC123",
            }
        ),
    ]
    return {
        "name": name,
        "template": template,
        "lang": "fr_FR",
        "full_name": "Karim Benali",
        "headline": "Technicien diagnostic, véhicules hybrides et électriques",
        "email": "karim.benali@example.com",
        "phone": "06 12 34 56 78",
        "city": "Villeurbanne",
        "profile": PROFILE,
        "line_ids": lines,
    }


class CareerCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["atelier_career"], ["fr_FR"], overwrite=True
        )
        cls.env["ir.config_parameter"].sudo().set_param(
            "atelier_ai.provider", "offline"
        )
        cls.learner = make_learner(cls.env, "career_karim", "Karim Benali")
        cls.other = make_learner(cls.env, "career_julie", "Julie Morel")
        cls.coach = new_test_user(
            cls.env, login="career_coach", groups="atelier_base.group_coach"
        )
        cls.starter = cls.env.ref("atelier_career.plan_starter")
        cls.pro = cls.env.ref("atelier_career.plan_pro")
        cls.chef = cls.env.ref("atelier_career.persona_chef_atelier")
        cls.flotte = cls.env.ref("atelier_career.persona_flotte_ve")
        cls.personas = cls.env["atelier.career.persona"].search(
            [("is_custom", "=", False)]
        )

    @classmethod
    def give_pro(cls, user):
        return cls.env["atelier.career.subscription"].create(
            {"plan_id": cls.pro.id, "holder": "learner", "user_id": user.id}
        )

    def start(self, user=None, persona=None, duration=10, **kw):
        user = user or self.learner
        kw.setdefault("consent", True)
        return (
            self.env["atelier.career.session"]
            .with_user(user)
            ._start(persona or self.chef, duration, **kw)
        )
