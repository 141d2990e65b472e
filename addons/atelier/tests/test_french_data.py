# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Data that Atelier ships reads in French for a French user.

``scripts/check_i18n.py`` checks that every term of an addon's template is
translated in its ``fr.po``. It cannot see the text of data records that never
reach the template: a field that is not translatable (an English SLA name
shown as is), or a record whose translation was forgotten. This test loads
the French translations of every installed Atelier addon and reads every text
field of every record those addons' data files create, as a French user.
"""

import re

from odoo.tests import TransactionCase, tagged

# Records users never read (technical configuration).
SKIP_MODELS = {
    "ir.asset",
    "ir.config_parameter",
    "ir.model.access",
    "ir.model.data",
    "ir.rule",
    "ir.sequence",
    "ir.ui.view",  # its terms are in the .pot, checked by check_i18n.py
    "ir.attachment",
    "res.users",
    "res.partner",  # demo-like names of people and companies
    "res.groups.privilege",
}

# Fields holding code, addresses or identifiers, never prose.
SKIP_FIELDS = {
    "arch",
    "arch_db",
    "code",
    "context",
    "domain",
    "domain_force",
    "email",
    "email_cc",
    "email_from",
    "email_to",
    "alias_defaults",
    "alias_name",
    "icon",
    "key",
    "print_report_name",
    "lang",
    "model",
    "partner_to",
    "reply_to",
    "report_file",
    "report_name",
    "res_model",
    "url",
    "web_icon",
    "website_url",
    "xml_id",
}

# Words that are the same in French (labels of one or two words).
SAME_IN_FRENCH = {
    "compact",
    "cv",
    "message",
    "section",
    "url",
    "webhook",
    "webhooks",
    "article",
    "articles",
    "atelier",
    "client",
    "code",
    "codes",
    "configuration",
    "confirmation",
    "contact",
    "csv",
    "date",
    "description",
    "diagnostic",
    "diagnostics",
    "id",
    "json",
    "maximum",
    "minimum",
    "messages",
    "note",
    "notes",
    "obd",
    "passages",
    "pid",
    "permanent",
    "secret",
    "session",
    "sessions",
    "sla",
    "source",
    "ticket",
    "tickets",
    "type",
    "types",
    "vin",
    "yaml",
    "web",
    "coaching",
    "garages",
    "pro",
    "primo",
    "arrivants",
    "coach",
    "cockpit",
    "signature",
    "conditions",
    "score",
    "absent",
    "sha",
    "e-mail",
    "email",
    "excellent",
    "total",
    "minutes",
    "km",
    "mode",
    "question",
    "questions",
    "stage",
    "badge",
    "badges",
    "parcours",
    "promo",
    "satisfaction",
    "activations",
    "diesel",
    "invitations",
    "karma",
    "nps",
    "quotas",
}

FRENCH_WORDS = set(
    "le la les un une des du de au aux et ou est sont pour par avec sans dans sur "
    "vous votre vos nous notre nos il elle ce cette ces qui que quoi en à été "
    "pas ne plus très bien être avoir fait faire jour jours heure heures".split()
)
ENGLISH_WORDS = set(
    "the a an and or is are for by with without in on of to you your we our it "
    "this these that which what be been not no more very has have do does day "
    "days hour hours first new request solved response monday tuesday wednesday "
    "thursday friday saturday sunday morning afternoon evening".split()
)
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _words(value):
    text = re.sub(r"<[^>]+>|\{\{.*?\}\}|\{%.*?%\}|\$\{.*?\}", " ", value)
    return [w.lower() for w in WORD.findall(text) if len(w) > 1]


def _reads_english(value, source):
    """True when a French user would read ``value`` (translated from
    ``source``) as English."""
    words = _words(value)
    if not words:
        return False
    french = (
        sum(w in FRENCH_WORDS for w in words)
        + sum(any(c in w for c in "éèêàùçôîâûëï") for w in words)
        # French typography: a space before : ; ? !
        + len(re.findall(r"\s[:;?!]", value))
    )
    english = sum(w in ENGLISH_WORDS for w in words)
    if len(words) >= 4:
        return english > french
    # a short label: English when left as its source, unless it reads the
    # same in French
    return (
        value == source and not french and not all(w in SAME_IN_FRENCH for w in words)
    )


@tagged("post_install", "-at_install")
class TestFrenchData(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.modules = cls.env["ir.module.module"].search(
            [("name", "=like", "atelier%"), ("state", "=", "installed")]
        )
        cls.modules._update_translations(["fr_FR"], overwrite=True)

    def _texts(self, record):
        """(field name, field) of the text fields of ``record`` users read."""
        for fname, field in record._fields.items():
            if field.type not in ("char", "text", "html"):
                continue
            if not field.store or field.compute or field.related:
                continue
            if fname in SKIP_FIELDS or fname.startswith("x_"):
                continue
            if field.groups == "base.group_no_one":
                continue
            yield fname, field

    def _ours(self, record):
        """Whether an Atelier addon wrote this technical record's text."""
        if record._name == "ir.model":
            model = self.env.get(record.model)
            return model is not None and (model._original_module or "").startswith(
                "atelier"
            )
        if record._name in ("ir.model.fields", "ir.model.fields.selection"):
            ffield = record if record._name == "ir.model.fields" else record.field_id
            model = self.env.get(ffield.model)
            field = model is not None and model._fields.get(ffield.name)
            return bool(field) and (field._module or "").startswith("atelier")
        return True

    def test_data_records_read_in_french(self):
        self.assertTrue(self.modules)
        data = self.env["ir.model.data"].search(
            [
                ("module", "in", self.modules.mapped("name")),
                ("model", "not in", list(SKIP_MODELS)),
            ]
        )
        by_model = {}
        for imd in data:
            by_model.setdefault(imd.model, {})[imd.res_id] = imd.complete_name
        problems = []
        for model_name, xmlids in sorted(by_model.items()):
            if model_name not in self.env:
                continue
            records = self.env[model_name].sudo().with_context(active_test=False)
            records = records.browse(list(xmlids)).exists()
            technical = model_name.startswith(("ir.", "res.groups", "base."))
            for fname, field in self._texts(records):
                if technical and not field.translate:
                    continue  # identifiers: view modes, SQL definitions…
                english = records.with_context(lang="en_US")
                for record, source in zip(
                    records.with_context(lang="fr_FR"), english, strict=True
                ):
                    value = record[fname]
                    if not isinstance(value, str):
                        continue
                    if field.translate:
                        if not _reads_english(value, source[fname]):
                            continue
                    elif not _reads_english(value, None):
                        continue
                    if technical and not self._ours(record):
                        continue  # Odoo's own text (its French is not here)
                    where = f"{xmlids[record.id]} ({model_name}.{fname})"
                    reason = (
                        "has no French translation"
                        if field.translate
                        else "is English in a field that cannot be translated"
                    )
                    problems.append(f"{where}: {value[:70]!r} {reason}")
        self.assertFalse(problems, "\n" + "\n".join(problems))
