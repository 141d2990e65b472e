# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import TransactionCase, new_test_user


def setup_kb(cls):
    """Users per role and a small French knowledge base (no demo data)."""
    env = cls.env
    env["res.lang"]._activate_lang("fr_FR")
    cls.assistant = new_test_user(
        env, login="kb_claire", groups="atelier_base.group_assistant"
    )
    cls.technician = new_test_user(
        env, login="kb_gaetan", groups="atelier_base.group_technician"
    )
    cls.manager = new_test_user(
        env, login="kb_manager", groups="atelier_base.group_manager"
    )
    cls.portal = new_test_user(env, login="kb_portal", groups="base.group_portal")
    cls.public = env.ref("base.public_user")
    cls.Article = env["atelier.kb.article"]
    cls.Search = env["atelier.kb.search"]
    cls.Dtc = env["atelier.dtc"].with_context(active_test=False)
    cls.cat_thermique = env.ref("atelier_knowledge.atelier_kb_category_thermique")
    cls.cat_electrique = env.ref("atelier_knowledge.atelier_kb_category_electrique")
    cls.cat_diagnostic = env.ref("atelier_knowledge.atelier_kb_category_diagnostic")

    def code(name, **vals):
        dtc = cls.Dtc.search([("code", "=", name)])
        if not dtc:
            dtc = cls.Dtc.create({"code": name, "title": vals.get("title", name)})
        french = {k: vals.pop(k) for k in list(vals) if k.endswith("_fr")}
        if vals:
            dtc.write(vals)
        if french:
            dtc.with_context(lang="fr_FR").write(
                {k[: -len("_fr")]: v for k, v in french.items()}
            )
        return dtc

    # atelier_dtc ships P0300-P0306 and P0420 in English; P0301 gets its
    # French page, P0A80 is ours, P0306 is archived
    cls.p0300 = code("P0300")
    cls.p0301 = code(
        "P0301",
        title_fr="Ratés d'allumage détectés sur le cylindre 1",
        description_fr="Le calculateur compte des combustions manquées sur le "
        "cylindre 1 à partir des variations de vitesse du vilebrequin.",
        symptoms_fr="Le moteur broute à l'accélération\nVoyant moteur clignotant",
        likely_causes_fr="Bobine d'allumage défaillante\nBougie usée\n"
        "Injecteur encrassé",
        checks="Lire les données figées\nPermuter la bobine avec le cylindre 2\n"
        "Remplacer la pièce fautive et effacer le code",
    )
    cls.p0306 = code("P0306")
    cls.p0306.action_archive()
    cls.p0420 = code("P0420")
    cls.p0a80 = code(
        "P0A80",
        title="Replace hybrid battery pack",
        title_fr="Batterie hybride à remplacer",
        description_fr="Le calculateur constate un écart de tension excessif "
        "entre les blocs de la batterie hybride.",
        severity="high",
    )
    cls.tag_batterie = env["atelier.kb.tag"].create({"name": "kb test batterie"})

    def article(title, **vals):
        return cls.Article.create(
            dict(
                {
                    "title": title,
                    "category_id": cls.cat_thermique.id,
                    "is_published": True,
                },
                **vals,
            )
        )

    cls.art_battery = article(
        "Batterie de traction : état de santé et défaillance du BMS",
        category_id=cls.cat_electrique.id,
        summary="Comment le BMS surveille les cellules de la batterie.",
        body="<h2>Le BMS</h2><p>Le BMS mesure chaque cellule. Une défaillance "
        "du BMS limite la puissance.</p><h2>Vieillissement</h2><p>Les cellules "
        "perdent de la capacité avec les cycles de charge.</p>",
        tag_ids=[Command.set(cls.tag_batterie.ids)],
        dtc_ids=[Command.set(cls.p0a80.ids)],
    )
    cls.art_misfire = article(
        "Ratés d'allumage : la méthode de diagnostic pas à pas",
        kind="procedure",
        summary="Trouver le cylindre fautif sans remplacer les pièces au hasard.",
        body="<h2>Ce que dit le client</h2><p>La voiture broute à "
        "l'accélération et le voyant moteur clignote.</p><h2>Méthode</h2><ol>"
        "<li>Lire les codes P0300 à P0308.</li><li>Permuter la bobine "
        "d'allumage et la bougie.</li></ol>",
        dtc_ids=[Command.set((cls.p0300 | cls.p0301).ids)],
    )
    cls.art_winter = article(
        "Contrôle avant l'hiver",
        kind="checklist",
        summary="Les points à vérifier avant les premiers froids.",
        body="<ul><li>Liquide de refroidissement</li><li>Essuie-glaces</li>"
        "<li>Tester la batterie 12 V au testeur de conductance.</li></ul>",
    )
    cls.art_draft = article(
        "Brouillon : batterie secrète",
        body="<p>Une batterie qui n'est pas encore publiée.</p>",
        is_published=False,
    )
    cls.art_english = article(
        "Reading freeze frame data",
        category_id=cls.cat_diagnostic.id,
        lang="en_US",
        body="<p>The scan tool shows the engine speed when misfires were recorded.</p>",
    )
    cls.art_hostile = article(
        "Injection de code : <script>",
        category_id=cls.cat_diagnostic.id,
        body="<p>Un texte qui cite &lt;script&gt;alert(1)&lt;/script&gt; "
        "à propos du calculateur d'injection.</p>",
    )


class KbCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        setup_kb(cls)
        cls.env["atelier.kb.search"]._kb_refresh_vocabulary()

    def search(self, query, user=None, **kwargs):
        Search = self.Search.with_user(user) if user else self.Search
        return Search.search_kb(query, **kwargs)

    @staticmethod
    def keys(answer):
        """``[(kind, id)]`` of the results of a search."""
        return [(r["kind"], r["res_id"]) for r in answer["results"]]

    @staticmethod
    def key(record):
        return ("code" if record._name == "atelier.dtc" else "article", record.id)

    def result_of(self, answer, record):
        return next(
            r for r in answer["results"] if (r["kind"], r["res_id"]) == self.key(record)
        )

    def ranked(self, query, **kwargs):
        """``[(kind, record)]`` of a search, best first."""
        models = {"article": self.Article, "code": self.Dtc}
        return [
            (r["kind"], models[r["kind"]].browse(r["res_id"]))
            for r in self.search(query, **kwargs)["results"]
        ]
