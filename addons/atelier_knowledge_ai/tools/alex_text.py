# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Alex's texts that need no database: the offline answer made of quoted
passages, the citations of an answer, refusals and the wish for a human.
Plain Python: it also runs after the request's cursor is closed, at the end
of a streamed answer."""

import re
import unicodedata

CITATION_RE = re.compile(r"\[(\d{1,2})\]")
QUOTE_CHARS = 300
# the question asks for a person, an appointment, a price: offer a human
HANDOFF_WORDS = (
    "rendez-vous",
    "rdv",
    "devis",
    "prix",
    "tarif",
    "conseiller",
    "humain",
    "quelqu'un",
    "parler a",
    "rappel",
    "rappeler",
    "urgent",
    "garage",
    "reparer",
    "reparation",
    "technicien",
    "ticket",
    "reclamation",
)
_HANDOFF_RE = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(w) for w in HANDOFF_WORDS) + r")\w*"
)


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return text.replace("’", "'")


def quote(text, size=QUOTE_CHARS):
    """The start of a passage, cut at a word boundary."""
    text = " ".join((text or "").split())
    if len(text) <= size:
        return text
    return text[:size].rsplit(" ", 1)[0].rstrip(" ,;:.") + " …"


def source_label(source):
    """'P0301 — Ratés d'allumage…' for a code, the title for an article."""
    if source.get("code"):
        return f"{source['code']} — {source['title']}"
    return source["title"]


def offline_answer(intro, sources, passages_shown=3):
    """The best passages, quoted, each followed by its citation marker."""
    parts = [intro]
    for source in sources[:passages_shown]:
        text = source.get("text") or ""
        # a code's passage opens with "P0301 : its title": said just before
        first, _sep, rest = text.partition("\n")
        if source.get("code") and first.startswith(source["code"]) and rest:
            text = rest
        parts.append(f"{source_label(source)} [{source['n']}] :\n« {quote(text)} »")
    return "\n\n".join(parts)


def cited(text, sources):
    """Numbers of the sources the answer cites, in order, known ones only."""
    known = {source["n"] for source in sources}
    numbers = []
    for match in CITATION_RE.finditer(text or ""):
        number = int(match.group(1))
        if number in known and number not in numbers:
            numbers.append(number)
    return numbers


def is_refusal(text):
    """Whether the answer says it does not know."""
    start = fold(text).lstrip(" «\"'*_")[:40]
    return start.startswith(("je ne sais pas", "je ne peux pas repondre"))


def wants_a_human(question):
    return bool(_HANDOFF_RE.search(fold(question)))
