# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Personal data out of texts sent to a language model, and back in.

Plain Python (no Odoo) so that it can be tested and benchmarked alone. A
:class:`Redactor` replaces e-mail addresses, phone numbers, VINs, French
licence plates and given names with numbered placeholders (``[TEL_1]``);
the same value always gets the same placeholder within one redactor, and
:meth:`Redactor.restore` puts the values back into the model's answer, so
the model never sees them and the user still reads them.
"""

import re
import unicodedata

import phonenumbers

KINDS = ("email", "vin", "plate", "phone", "name")
LABELS = {
    "email": "EMAIL",
    "vin": "VIN",
    "plate": "IMMAT",
    "phone": "TEL",
    "name": "NOM",
}

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# 17 characters, no I, O or Q, at least one digit and one letter
VIN_RE = re.compile(
    r"(?<![A-Za-z0-9])(?=[A-HJ-NPR-Z0-9]{0,16}[0-9])(?=[A-HJ-NPR-Z0-9]{0,16}[A-HJ-NPR-Z])"
    r"[A-HJ-NPR-Z0-9]{17}(?![A-Za-z0-9])",
    re.IGNORECASE,
)
# SIV (since 2009): AB-123-CD, AB 123 CD, AB123CD; no I, O or U. Lower case
# is only taken with hyphens ("de 123 km" is no plate).
_SIV = r"[A-HJ-NPR-TV-Z]{2}SEP\d{3}SEP[A-HJ-NPR-TV-Z]{2}"
PLATE_SIV_RE = re.compile(
    r"(?<![\w-])(?:"
    + _SIV.replace("SEP", "[ -]?")
    + r"|(?i:"
    + _SIV.replace("SEP", "-")
    + r"))(?![\w-])"
)
# FNI (before 2009): 123 ABC 75, 1234 AB 69, 12 ABC 2A, 123 AB 974. Two or
# three letters, so that "12 V 70" (a battery) is not taken for a plate.
PLATE_FNI_RE = re.compile(
    r"(?<![\w-])\d{1,4}([ -]?)[A-Z]{2,3}\1"
    r"(?:0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])(?![\w-])"
)
# E.164 and international forms the matcher may refuse (test numbers)
E164_RE = re.compile(r"(?<![\w+])\+\d[\d ().-]{6,18}\d(?!\w)")
PLACEHOLDER_RE = re.compile(r"\[(EMAIL|VIN|IMMAT|TEL|NOM)_(\d+)\]")
_PARTIAL_PLACEHOLDER_RE = re.compile(r"\[[A-Z]{0,5}(?:_\d{0,4})?$")
# parts of a person's name that are too common to be redacted alone
_COMMON_WORDS = {
    "de",
    "du",
    "des",
    "la",
    "le",
    "les",
    "van",
    "von",
    "der",
    "mme",
    "mr",
    "mrs",
    "madame",
    "monsieur",
}


def fold(text):
    """Lower case without accents: 'Défaillance' -> 'defaillance'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


class Redactor:
    """Replace personal data by placeholders; restore them in answers.

    :param names: names of people and companies to redact (full names; the
        parts of a person's name are redacted alone too, see ``person_names``)
    :param person_names: names of people: their first and last names are
        also redacted on their own ("Durand" of "Paul Durand")
    :param keep: kinds (see ``KINDS``) that the feature may send as they are
    :param region: ISO country used to read national phone numbers
    """

    def __init__(self, names=(), person_names=(), keep=(), region="FR"):
        self.keep = set(keep)
        self.region = (region or "FR").upper()
        self.values = {}  # placeholder -> original value
        self._by_value = {}  # (kind, normalized value) -> placeholder
        self._counters = dict.fromkeys(KINDS, 0)
        self.found = dict.fromkeys(KINDS, 0)
        self._name_re = self._build_name_re(names, person_names)

    @staticmethod
    def _build_name_re(names, person_names):
        variants = set()
        for name in list(names) + list(person_names):
            name = (name or "").strip()
            if len(name) >= 3:
                variants.update({name, fold(name)})
        for name in person_names:
            for part in re.split(r"[\s,]+", (name or "").strip()):
                if len(part) >= 3 and fold(part) not in _COMMON_WORDS:
                    variants.update({part, fold(part)})
        if not variants:
            return None
        alternatives = "|".join(
            re.escape(v) for v in sorted(variants, key=len, reverse=True)
        )
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    # ------------------------------------------------------------------
    def _placeholder(self, kind, value, key=None):
        key = (kind, key if key is not None else value)
        placeholder = self._by_value.get(key)
        if not placeholder:
            self._counters[kind] += 1
            placeholder = f"[{LABELS[kind]}_{self._counters[kind]}]"
            self._by_value[key] = placeholder
            self.values[placeholder] = value
        self.found[kind] += 1
        return placeholder

    def _sub(self, regex, kind, text, key=None):
        return regex.sub(
            lambda m: self._placeholder(kind, m.group(0), key and key(m.group(0))),
            text,
        )

    def _phones(self, text):
        matches = list(
            phonenumbers.PhoneNumberMatcher(
                text, self.region, leniency=phonenumbers.Leniency.POSSIBLE
            )
        )
        if matches:
            parts, position = [], 0
            for match in matches:
                e164 = phonenumbers.format_number(
                    match.number, phonenumbers.PhoneNumberFormat.E164
                )
                parts.append(text[position : match.start])
                parts.append(self._placeholder("phone", match.raw_string, key=e164))
                position = match.end
            parts.append(text[position:])
            text = "".join(parts)
        return self._sub(
            E164_RE, "phone", text, key=lambda value: re.sub(r"[^\d+]", "", value)
        )

    def redact(self, text):
        """``text`` with the personal data the feature may not send replaced."""
        if not text:
            return text
        if "email" not in self.keep:
            text = self._sub(EMAIL_RE, "email", text, key=str.lower)
        if "vin" not in self.keep:
            text = self._sub(VIN_RE, "vin", text, key=str.upper)
        if "plate" not in self.keep:
            normalize = lambda value: re.sub(r"[ -]", "", value).upper()  # noqa: E731
            text = self._sub(PLATE_SIV_RE, "plate", text, key=normalize)
            text = self._sub(PLATE_FNI_RE, "plate", text, key=normalize)
        if "phone" not in self.keep:
            text = self._phones(text)
        if "name" not in self.keep and self._name_re:
            text = self._sub(self._name_re, "name", text, key=fold)
        return text

    def restore(self, text):
        """Put the original values back in place of known placeholders."""
        if not text or not self.values:
            return text
        return PLACEHOLDER_RE.sub(
            lambda m: self.values.get(m.group(0), m.group(0)), text
        )

    def summary(self):
        """'phone: 2, email: 1' for the usage log ('' when nothing found)."""
        return ", ".join(f"{kind}: {n}" for kind, n in self.found.items() if n)

    def stream_restorer(self):
        return StreamRestorer(self)


class StreamRestorer:
    """Restore placeholders in a stream of text deltas, where a placeholder
    may arrive split over two deltas ('[TE', 'L_1]')."""

    def __init__(self, redactor):
        self.redactor = redactor
        self.pending = ""

    def feed(self, delta):
        text = self.pending + (delta or "")
        match = _PARTIAL_PLACEHOLDER_RE.search(text)
        if match:
            self.pending = text[match.start() :]
            text = text[: match.start()]
        else:
            self.pending = ""
        return self.redactor.restore(text)

    def flush(self):
        text, self.pending = self.pending, ""
        return self.redactor.restore(text)
