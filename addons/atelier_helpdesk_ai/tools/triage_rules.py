# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Offline triage of a ticket's text: type, priority and sentiment from
French keywords, with the words that decided. Plain Python (no Odoo).

Texts are compared folded (lower case, no accents): "Défaillance" matches
"defaillance". A keyword matches whole words, and a trailing ``*`` matches
any ending ("demarr*": démarre, démarrage).
"""

import re
import unicodedata
from dataclasses import dataclass, field

# type key -> keywords; keys are the XML ids of atelier_helpdesk's types
TYPE_KEYWORDS = {
    "helpdesk_type_electrical": [
        "disjoncteur",
        "disjoncte",
        "tableau electrique",
        "tableau",
        "prise electrique",
        "prises",
        "prise de courant",
        "plus de courant",
        "coupure de courant",
        "electricit*",
        "electrique",
        "court-circuit",
        "differentiel",
        "coupure",
        "eclairage",
        "interrupteur",
        "cable*",
        "mise aux normes",
        "borne de recharge",
        "compteur",
        "fusible*",
        "saute",
    ],
    "helpdesk_type_diagnostic": [
        "voyant*",
        "code defaut",
        "codes defaut",
        "obd",
        "diagnostic",
        "moteur",
        "perte de puissance",
        "broute",
        "rate*",
        "demarr*",
        "fap",
        "injecteur*",
        "vehicule",
        "voiture",
        "batterie",
        "embrayage",
        "boite de vitesse*",
        "calculateur",
        "sonde lambda",
        "vanne egr",
        "egr",
        "adblue",
        "hybride",
        "mode degrade",
    ],
    "helpdesk_type_quote": [
        "devis",
        "tarif*",
        "prix",
        "combien",
        "estimation",
        "chiffrage",
        "cout",
    ],
    "helpdesk_type_training": [
        "formation*",
        "stage",
        "cours",
        "apprenant*",
        "certificat*",
        "inscri*",
        "cpf",
        "module*",
        "elearning",
        "e-learning",
        "quiz",
        "session",
        "positionnement",
    ],
    "helpdesk_type_technician": [
        "technicien*",
        "deplacement",
        "a domicile",
        "sur place",
        "intervention",
        "passer",
        "venir",
    ],
    "helpdesk_type_after_sales": [
        "facture*",
        "garantie",
        "reclamation",
        "rembourse*",
        "suivi",
        "commande",
        "livraison",
        "sav",
        "apres-vente",
        "retour",
    ],
}
# words that name the request on their own count more
KEYWORD_WEIGHTS = {
    "devis": 5,
    "formation": 3,
    "garantie": 3,
    "facture": 4,
    "disjoncteur": 2,
    "voyant": 2,
    "diagnostic": 2,
    "technicien": 2,
}
# priority ("0" low … "3" very high) -> keywords, most urgent first
PRIORITY_KEYWORDS = {
    "3": [
        "danger*",
        "fumee",
        "fume",
        "brule",
        "odeur de brule",
        "etincelle*",
        "incendie",
        "feu",
        "electrocut*",
        "securite",
        "immobilise*",
        "bloque sur",
        "plus de courant",
        "plus d'electricite",
        "plus de chauffage",
    ],
    "2": [
        "urgent*",
        "urgence",
        "au plus vite",
        "rapidement",
        "aujourd'hui",
        "des que possible",
        "ne demarre plus",
        "en panne",
        "ne fonctionne plus",
        "ne marche plus",
        "mode degrade",
        "clignot*",
        "saute",
    ],
    "0": [
        "renseignement*",
        "information*",
        "pas urgent",
        "rien d'urgent",
        "sans urgence",
        "quand vous pourrez",
        "quand vous pouvez",
        "a l'occasion",
        "simple question",
    ],
}
SENTIMENT_KEYWORDS = {
    "angry": [
        "inadmissible",
        "scandal*",
        "honteux",
        "inacceptable",
        "avocat",
        "plainte",
        "arnaque",
        "escroc*",
        "ras-le-bol",
        "ras le bol",
        "marre",
        "n'importe quoi",
        "incompetent*",
    ],
    "negative": [
        "decu*",
        "mecontent*",
        "toujours pas",
        "encore une fois",
        "de nouveau",
        "relance*",
        "pas normal",
        "inquiet*",
        "probleme*",
        "pas satisfait*",
        "attends depuis",
        "attend depuis",
        "aucune reponse",
        "sans reponse",
        "agace*",
    ],
    "positive": [
        "merci beaucoup",
        "parfait",
        "ravi*",
        "satisfait*",
        "bravo",
        "super",
        "excellent*",
        "genial",
        "top",
    ],
}
# "pas urgent", "sans urgence": no urgency word is read in them
NEGATED_URGENCY_RE = re.compile(
    r"(?<!\w)(?:pas|non|sans|rien d'|rien de)\s*(?:tres\s+|si\s+)?urgen\w*"
)
# OBD-II trouble codes: P0301, U0100…
DTC_RE = re.compile(r"\b([PBCU][0-3][0-9A-F]{3})\b", re.IGNORECASE)
PRIORITIES = ("0", "1", "2", "3")
SENTIMENTS = ("positive", "neutral", "negative", "angry")


def fold(text):
    """Lower case without accents, apostrophes unified."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return text.replace("’", "'")


def _pattern(keyword):
    word = re.escape(keyword.rstrip("*"))
    tail = r"\w*" if keyword.endswith("*") else ""
    return rf"(?<!\w){word}{tail}(?!\w)"


def _compile(table):
    return {
        key: [(kw.rstrip("*"), re.compile(_pattern(kw))) for kw in keywords]
        for key, keywords in table.items()
    }


_TYPES = _compile(TYPE_KEYWORDS)
_PRIORITIES = _compile(PRIORITY_KEYWORDS)
_SENTIMENTS = _compile(SENTIMENT_KEYWORDS)


def _fold_aligned(text):
    """``fold(text)`` keeping one character per character of ``text``, so
    that a match in it points at the same place in ``text``."""
    return "".join((fold(char) or char)[:1] for char in text or "")


def _hits(compiled, text, original=None):
    """The keywords found in the folded ``text``; with ``original``, the
    words as the client wrote them ("véhicule", not "vehicule")."""
    found = []
    for word, regex in compiled:
        match = regex.search(text)
        if match:
            shown = original[match.start() : match.end()] if original else word
            if shown.lower() not in (f.lower() for f in found):
                found.append(shown)
    return found


@dataclass
class Triage:
    type_key: str = ""
    type_words: list = field(default_factory=list)
    priority: str = "1"
    priority_words: list = field(default_factory=list)
    sentiment: str = "neutral"
    sentiment_words: list = field(default_factory=list)
    codes: list = field(default_factory=list)


def triage(text, type_boosts=None, allowed_types=None):
    """Suggest a type key, a priority and a sentiment for ``text``.

    :param type_boosts: {type key: (score, words)} from other sources (the
        knowledge base), added to the keyword scores
    :param allowed_types: type keys that exist; others are not suggested
    """
    folded = _fold_aligned(text)
    result = Triage()
    scores = {}
    for key, compiled in _TYPES.items():
        words = _hits(compiled, folded)
        if words:
            score = sum(KEYWORD_WEIGHTS.get(w, 1) for w in words)
            scores[key] = (score, _hits(compiled, folded, text))
    codes = sorted({code.upper() for code in DTC_RE.findall(text or "")})
    if codes:
        result.codes = codes
        score, words = scores.get("helpdesk_type_diagnostic", (0, []))
        scores["helpdesk_type_diagnostic"] = (score + 3, words + codes)
    for key, (boost, words) in (type_boosts or {}).items():
        score, previous = scores.get(key, (0, []))
        scores[key] = (score + boost, previous + list(words))
    if allowed_types is not None:
        scores = {k: v for k, v in scores.items() if k in allowed_types}
    if scores:
        # the best score; ties go to the order of TYPE_KEYWORDS
        order = list(TYPE_KEYWORDS)
        best = max(
            scores,
            key=lambda k: (scores[k][0], -order.index(k) if k in order else -99),
        )
        result.type_key, result.type_words = best, scores[best][1]
    # same length: the negated phrases are blanked out, not removed
    calm = NEGATED_URGENCY_RE.sub(lambda m: " " * len(m.group(0)), folded)
    for priority in ("3", "2", "0"):
        words = _hits(_PRIORITIES[priority], folded if priority == "0" else calm, text)
        if words:
            result.priority, result.priority_words = priority, words
            break
    angry = _hits(_SENTIMENTS["angry"], folded, text)
    if "!!" in (text or "") or _shouting(text):
        angry.append("!!")
    negative = _hits(_SENTIMENTS["negative"], folded, text)
    positive = _hits(_SENTIMENTS["positive"], folded, text)
    if angry:
        result.sentiment, result.sentiment_words = "angry", angry
    elif len(negative) > len(positive):
        result.sentiment, result.sentiment_words = "negative", negative
    elif len(positive) > len(negative):
        result.sentiment, result.sentiment_words = "positive", positive
    return result


def _shouting(text):
    """Three words or more in capitals (not codes such as P0301 or VIN)."""
    words = re.findall(r"\b[A-ZÀ-Ý]{3,}\b", text or "")
    return len([w for w in words if not DTC_RE.match(w)]) >= 3
