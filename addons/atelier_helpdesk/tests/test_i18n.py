# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, tagged

# Configuration records French users pick from or read on every ticket
MODELS = [
    "helpdesk.ticket.team",
    "helpdesk.ticket.type",
    "helpdesk.sla",
    "helpdesk.ticket.stage",
    "helpdesk.ticket.channel",
    "helpdesk.ticket.category",
    "helpdesk.ticket.tag",
]
# Words that are the same in French
SAME_IN_FRENCH = {"Web"}


@tagged("post_install", "-at_install")
class TestFrenchData(TransactionCase):
    """A French user sees the helpdesk's records in French: SLA names were
    not translatable, OCA's demo type "Document issue" was English."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        modules = (
            cls.env["ir.module.module"]
            .search([("state", "=", "installed"), ("name", "like", "helpdesk")])
            .mapped("name")
        )
        cls.env["ir.module.module"]._load_module_terms(
            modules, ["fr_FR"], overwrite=True
        )

    def test_every_active_helpdesk_record_reads_in_french(self):
        english = []
        for model in MODELS:
            for record in self.env[model].search([]):
                source = record.with_context(lang="en_US").name
                french = record.with_context(lang="fr_FR").name
                if french == source and source not in SAME_IN_FRENCH:
                    english.append(f"{model}: {source}")
        self.assertFalse(english, "shown in English to French users")

    def test_sla_names(self):
        sla = self.env.ref("atelier_helpdesk.helpdesk_sla_diagnostic_first_response")
        self.assertEqual(
            sla.with_context(lang="fr_FR").name,
            "Diagnostic véhicule : première réponse sous 4 h",
        )
        self.assertEqual(
            sla.with_context(lang="en_US").name,
            "Vehicle diagnostic: first response in 4 h",
        )
