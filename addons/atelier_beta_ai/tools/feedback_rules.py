# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Offline reading of a beta tester's feedback: its category (bug, idea,
praise), its sentiment and how close it is to another feedback. Plain
Python (no Odoo).

Texts are compared folded (lower case, no accents). A keyword matches whole
words; a trailing ``*`` matches any ending ("plant*": plante, planté).
"""

import re
import unicodedata

KIND_KEYWORDS = {
    "bug": [
        "bug*",
        "plant*",
        "crash*",
        "erreur*",
        "ne marche pas",
        "ne fonctionne pas",
        "ne fonctionne plus",
        "ne marche plus",
        "bloque*",
        "decroch*",
        "se coupe",
        "coupe",
        "impossible",
        "refuse",
        "lent*",
        "fige*",
        "freeze",
        "rien ne s'affiche",
        "faux",
        "fausse*",
        "au lieu de",
        "alors que",
    ],
    "idea": [
        "idee*",
        "j'aimerais",
        "j'aimerai",
        "il faudrait",
        "ce serait bien",
        "serait bien",
        "serait pratique",
        "pourriez",
        "pouvoir",
        "ajouter",
        "ajout",
        "suggestion*",
        "propose*",
        "option",
        "possibilite",
        "mode",
        "vivement",
        "manque",
    ],
    "praise": [
        "merci",
        "bravo",
        "genial*",
        "super",
        "top",
        "j'adore",
        "adore",
        "excellent*",
        "parfait*",
        "enfin",
        "felicitations",
        "chapeau",
        "bien joue",
        "tres pratique",
    ],
}

POSITIVE = [
    "merci",
    "bravo",
    "genial*",
    "super",
    "top",
    "adore",
    "j'adore",
    "excellent*",
    "parfait*",
    "pratique",
    "enfin",
    "clair*",
    "utile",
    "simple*",
    "felicitations",
    "content*",
]
NEGATIVE = [
    "nul*",
    "inutilisable",
    "enervant*",
    "decu*",
    "decevant*",
    "frustrant*",
    "horrible",
    "marre",
    "n'importe quoi",
    "pas confiance",
    "agacant*",
    "penible*",
    "insupportable",
    "toujours pas",
    "encore une fois",
    "trop souvent",
    "plant*",
    "crash*",
]

STOP_WORDS = set(
    """le la les un une des du de d l au aux et ou est sont pour par avec sans
    dans sur vous votre vos nous notre nos il elle ils elles je j me m mon ma
    mes ce cet cette ces qui que qu quoi en a y pas ne n plus tres bien etre
    avoir fait faire se s sa son ses leur leurs on tout tous toute toutes
    quand comme mais donc car si deja aussi encore alors apres avant the and
    for with app appli application""".split()
)

KINDS = ("bug", "idea", "praise")
SENTIMENTS = ("positive", "neutral", "negative")


def fold(text):
    """Lower case, without accents, typographic apostrophes made plain."""
    text = (text or "").replace("\u2019", "'").lower()
    return "".join(
        ch
        for ch in unicodedata.normalize("NFKD", text)
        if not unicodedata.combining(ch)
    )


def _pattern(keyword):
    stem = keyword.rstrip("*")
    tail = r"\w*" if keyword.endswith("*") else ""
    return re.compile(r"(?<!\w)" + re.escape(stem) + tail + r"(?!\w)")


_PATTERNS = {}


def matches(text, keywords):
    """The keywords of ``keywords`` found in folded ``text``."""
    found = []
    for keyword in keywords:
        pattern = _PATTERNS.get(keyword)
        if pattern is None:
            pattern = _PATTERNS[keyword] = _pattern(keyword)
        if pattern.search(text):
            found.append(keyword.rstrip("*"))
    return found


def read(title, description, current_kind=None):
    """{"kind", "sentiment", "kind_words", "sentiment_words"} of a feedback.

    The category with the most keywords wins; a tie keeps the tester's own
    choice (``current_kind``), then bug before idea before praise.
    """
    text = fold(f"{title}\n{description}")
    words = {kind: matches(text, KIND_KEYWORDS[kind]) for kind in KINDS}
    best = max(len(found) for found in words.values())
    if not best:
        kind = current_kind or "bug"
    else:
        tied = [kind for kind in KINDS if len(words[kind]) == best]
        kind = current_kind if current_kind in tied else tied[0]
    positive = matches(text, POSITIVE)
    negative = matches(text, NEGATIVE)
    if len(positive) > len(negative):
        sentiment, mood_words = "positive", positive
    elif len(negative) > len(positive):
        sentiment, mood_words = "negative", negative
    else:
        sentiment, mood_words = "neutral", []
    return {
        "kind": kind,
        "sentiment": sentiment,
        "kind_words": words.get(kind, []),
        "sentiment_words": mood_words,
    }


SUFFIXES = ("er", "ez", "ee", "es", "e", "s", "x")


def _stem(word):
    """A crude French stem: "exporter", "exporte", "exports" -> "export"."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def tokens(text):
    """The meaningful words of ``text`` (folded, 3 letters or more, no stop
    words), stemmed."""
    result = set()
    for word in re.findall(r"[a-z0-9]+", fold(text)):
        if len(word) < 3 or word in STOP_WORDS:
            continue
        result.add(_stem(word))
    return result


def similarity(a, b):
    """Jaccard index of two token sets (0 to 1)."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def likely_duplicates(title, description, candidates, threshold=0.2, limit=3):
    """The ids of ``candidates`` (``[(id, title, description)]``) that look
    like the same feedback, best first: the title's words weigh twice."""
    own_title, own_all = tokens(title), tokens(f"{title} {description}")
    scored = []
    for cid, ctitle, cdescription in candidates:
        score = (
            2 * similarity(own_title, tokens(ctitle))
            + similarity(own_all, tokens(f"{ctitle} {cdescription}"))
        ) / 3
        if score >= threshold:
            scored.append((score, cid))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [cid for _score, cid in scored[:limit]]
