# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Is a retrieved passage about the question? The search ranks; this checks
that the passage holds most of the words that carry the question's subject,
so that "comment faire une mayonnaise" is not answered with an article on
engine oil. Plain Python (no Odoo)."""

import re
import unicodedata
from difflib import SequenceMatcher


def fold(text):
    """Lower case without accents, apostrophes unified."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return text.replace("’", "'")


# words that say nothing of the subject of a question
STOP_WORDS = frozenset(
    """a ai aide aider au aux avec besoin bonjour ca ce ceci cela ces cet cette
    comment combien dans de des dire du elle en est et etre explique expliquer
    fait faire faut il ils je la le les leur lui ma mais me merci mes moi mon ne
    nos notre nous on ou par pas peut peux plus pour pourquoi quand que quel quelle
    quelles quels qui quoi sa sais savoir se ses si signifie signifier son sont
    stp sur svp ta te tes toi ton tu un une veut veux voila vos votre vous
    """.split()
)
_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)?")
_MARK_RE = re.compile(r"<mark>(.*?)</mark>")
TYPO_RATIO = 0.8
TYPO_MIN_LENGTH = 6  # "paris" is no typo of "partis"
STEM = 5


def content_words(text):
    """The question's words that carry its subject (folded, 3+ letters)."""
    words = []
    for word in _WORD_RE.findall(fold(text)):
        word = word.split("'")[-1]
        if len(word) >= 3 and word not in STOP_WORDS and word not in words:
            words.append(word)
    return words


def found_words(question, source, words=None):
    """The question's subject words found in a source (its title and
    passage), compared on their first five letters ('clignote' finds
    'clignotant', 'fume' finds 'fumée'), or close to a word the search
    highlighted (its typo tolerance: 'alumage' for 'allumage')."""
    words = content_words(question) if words is None else words
    if not words:
        return []
    text = fold(
        f"{source.get('code') or ''} {source['title']} {source.get('text') or ''}"
    )
    prefixes = set()
    for word in _WORD_RE.findall(text):
        word = word.split("'")[-1]
        prefixes.update(word[:size] for size in range(3, STEM + 1))
    marked = {
        w.split("'")[-1]
        for mark in _MARK_RE.findall(fold(source.get("snippet") or ""))
        for w in _WORD_RE.findall(mark)
    }
    return [
        w
        for w in words
        if w[:STEM] in prefixes
        or (
            len(w) >= TYPO_MIN_LENGTH
            and any(SequenceMatcher(None, w, m).ratio() >= TYPO_RATIO for m in marked)
        )
    ]


def coverage(question, source, words=None):
    """Share of the question's subject words found in a source."""
    words = content_words(question) if words is None else words
    if not words:
        return 0.0
    return len(found_words(question, source, words)) / len(words)


def is_about(question, source, min_coverage, words=None):
    """Whether a source is about the question: it holds ``min_coverage`` of
    the question's subject words, and two of them at least when the
    question has two or more ("quel temps fait-il à Paris" is not answered
    by a page that only mentions the weather)."""
    words = content_words(question) if words is None else words
    if not words:
        return False
    found = len(found_words(question, source, words))
    return found / len(words) >= min_coverage and found >= min(2, len(words))
