# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Reading a user's query: cleaning, trouble codes, words (no Odoo import).

The user's text never reaches ``to_tsquery``: it is cut here into trouble
codes, code prefixes and words made of letters and digits only. PostgreSQL
then turns each word into lexemes with ``phraseto_tsquery`` (which ignores
every operator character) and the search composes its ``tsquery`` from those
lexemes (see ``atelier.kb.search``).
"""

import re
import unicodedata
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 300
MAX_WORDS = 16
MAX_WORD_CHARS = 40

# P0301, c0035, U0100 (a whole code) ...
CODE_RE = re.compile(r"(?<![0-9A-Za-z])([PCBU][0-3][0-9A-F]{3})(?![0-9A-Za-z])", re.I)
# ... and P03, P030 (a prefix: letter + 2 or 3 hexadecimal digits). "C3" (the
# car) is not a prefix: one digit is too short to mean a code family.
CODE_PREFIX_RE = re.compile(
    r"(?<![0-9A-Za-z])([PCBU][0-3][0-9A-F]{1,2})(?![0-9A-Za-z])", re.I
)
WORD_RE = re.compile(r"[^\W_]+")
# French words PostgreSQL's french stop list lacks ("les"!) and the small
# words of a question ("comment", "pourquoi"): never worth looking for
EXTRA_STOP_WORDS = {
    "les", "ca", "cela", "ceci", "cet", "cette", "comme", "dont", "donc",
    "quand", "tres", "aussi", "tout", "tous", "toute", "toutes", "chez", "vers",
    "quoi", "comment", "pourquoi", "quel", "quelle", "quels", "quelles", "faut",
    "peut", "peux", "dois", "doit", "voila", "bonjour", "merci", "svp", "si",
    "alors", "ils", "elles", "leurs", "jai", "cest", "quil",
}  # fmt: skip
# words that only say "this is a code" next to a code ("code P0301", "défaut
# P03"): not looked for then
CODE_WORDS = {"code", "codes", "defaut", "defauts", "erreur", "erreurs", "obd", "dtc"}
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ue000-\uf8ff]")
SPACES_RE = re.compile(r"\s+")


@dataclass
class ParsedQuery:
    cleaned: str = ""
    truncated: bool = False
    codes: list = field(default_factory=list)
    prefixes: list = field(default_factory=list)
    words: list = field(default_factory=list)

    @property
    def empty(self):
        return not (self.codes or self.prefixes or self.words)


def unaccent(text):
    """Lower-case ASCII-folded text: "Défaillance" -> "defaillance"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return folded.replace("œ", "oe").replace("æ", "ae")


def clean(text):
    """``(cleaned, truncated)``: one line of printable text, at most
    ``MAX_QUERY_CHARS`` characters, cut at a word boundary."""
    if not isinstance(text, str):
        text = ""
    text = unicodedata.normalize("NFKC", text)
    text = CONTROL_RE.sub(" ", text)
    text = SPACES_RE.sub(" ", text).strip()
    if len(text) <= MAX_QUERY_CHARS:
        return text, False
    cut = text[:MAX_QUERY_CHARS]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.strip(), True


def parse(text):
    """A :class:`ParsedQuery` from whatever the user typed."""
    cleaned, truncated = clean(text)
    parsed = ParsedQuery(cleaned=cleaned, truncated=truncated)
    rest = cleaned
    for match in CODE_RE.finditer(cleaned):
        code = match.group(1).upper()
        if code not in parsed.codes:
            parsed.codes.append(code)
    rest = CODE_RE.sub(" ", rest)
    for match in CODE_PREFIX_RE.finditer(rest):
        prefix = match.group(1).upper()
        if prefix not in parsed.prefixes:
            parsed.prefixes.append(prefix)
    rest = CODE_PREFIX_RE.sub(" ", rest)
    for word in WORD_RE.findall(rest):
        word = word.lower()
        # one letter ("l'", "d'", "a" for "à") is never worth looking for;
        # one digit is ("cylindre 3")
        if len(word) > MAX_WORD_CHARS or word in parsed.words:
            continue
        if len(word) == 1 and not word.isdigit():
            continue
        folded = unaccent(word)
        if folded in EXTRA_STOP_WORDS:
            continue
        if (parsed.codes or parsed.prefixes) and folded in CODE_WORDS:
            continue
        parsed.words.append(word)
        if len(parsed.words) >= MAX_WORDS:
            break
    return parsed


def quote_lexeme(lexeme):
    """A lexeme as a ``tsquery`` literal: quoted, quotes and backslashes
    escaped (lexemes come from PostgreSQL, this is belt and braces)."""
    return "'{}'".format(lexeme.replace("\\", "\\\\").replace("'", "''"))


LEXEME_RE = re.compile(r"('(?:[^']|'')*')(:\*)?")


def restrict_weight(tsquery, weights="A"):
    """The same ``tsquery`` text matching only lexemes of the given weights:
    "'batter' | 'accu':*" -> "'batter':A | 'accu':*A"."""
    return LEXEME_RE.sub(
        lambda m: "{}:{}{}".format(m.group(1), "*" if m.group(2) else "", weights),
        tsquery,
    )


PHRASE_RE = re.compile(r"<(?:-|\d+)>")


def loosen(tsquery):
    """The same ``tsquery`` text with its phrases as plain AND: "'mod' <->
    'degrad'" -> "'mod' & 'degrad'". A GIN index answers it without reading
    the documents (a phrase needs their positions): to find candidates."""
    return PHRASE_RE.sub("&", tsquery)
