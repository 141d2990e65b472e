# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Plain text helpers: accent-free words, keywords of a job offer, gaps."""

import re
import unicodedata

WORD_RE = re.compile(r"[\w][\w'’+#.-]*[\w+#]|[\w]", re.UNICODE)

# French (and a few English) words that carry no meaning on their own
STOPWORDS = frozenset(
    """
    a à afin ai au aux avec avez avoir c ce ces cet cette ceux chez comme dans de
    des du elle en entre est et être eu fait faire il ils je la le les leur leurs
    lui ma mais me même mes moi mon ne nos notre nous on ont ou où par pas pour
    qu que quel quelle qui sa sans se ses si son sont sous sur ta te tes toi ton
    tous tout toute toutes très tu un une vos votre vous y d l j n s t m
    poste profil candidat candidate mission missions entreprise équipe nous
    recherchons recherche rejoindre cdi cdd temps plein h f hf homme femme
    bien plus aussi être avoir doit devez savoir idéalement minimum ans an
    exige exigee exigé exigée requis requise souhaite souhaitee souhaité
    souhaitée apprecie appreciee apprécié appréciée indispensable
    the and or of to in for with a an is are be on at by as from our your you
    """.split()
)


def fold(text):
    """Lower case without accents: ``"Électricité"`` -> ``"electricite"``."""
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def words(text):
    """The folded words of ``text``, in order."""
    return [w.strip(".-'’") for w in WORD_RE.findall(fold(text))]


def squash(text):
    """Whitespace collapsed to single spaces (for quote matching)."""
    return " ".join((text or "").split())


ELISION_RE = re.compile(r"^(?:qu|[cdjlmnst])['’]")


def singular(word):
    """A rough French/English singular: "batteries" -> "batterie"."""
    return word[:-1] if len(word) > 4 and word.endswith(("s", "x")) else word


def keywords(text, limit=40, exclude=()):
    """The meaningful words of ``text`` as written (lower case, elision
    removed: "l'entretien" -> "entretien", 3 letters or more, no stop words,
    none of ``exclude``), most frequent first, then first seen."""
    excluded = {singular(w) for w in exclude}
    counts = {}
    for index, raw in enumerate(WORD_RE.findall((text or "").lower())):
        raw = ELISION_RE.sub("", raw.strip(".-'’"))
        word = fold(raw)
        if (
            len(word) < 3
            or word in STOPWORDS
            or word.isdigit()
            or singular(word) in excluded
        ):
            continue
        count, first, surface = counts.get(word, (0, index, raw))
        counts[word] = (count + 1, first, surface)
    ranked = sorted(counts.items(), key=lambda item: (-item[1][0], item[1][1]))
    return [stats[2] for _word, stats in ranked[:limit]]


def contains_term(haystack_folded, term):
    """Whether the folded ``term`` (one or more words) appears in the folded
    text as whole words."""
    term = fold(term).strip()
    if not term:
        return False
    pattern = r"(?<![\w])" + re.escape(term) + r"(?![\w])"
    return re.search(pattern, haystack_folded) is not None


def missing_terms(cv_text, terms):
    """The terms (skills, keywords) of an offer that the CV's text lacks,
    in the offer's order, without duplicates."""
    haystack = " ".join(singular(w) for w in words(cv_text))
    seen, missing = set(), []
    for term in terms:
        folded = " ".join(singular(w) for w in words(term))
        if not folded or folded in seen:
            continue
        seen.add(folded)
        if not contains_term(haystack, folded):
            missing.append(term.strip())
    return missing
