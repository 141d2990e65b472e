# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Phone number normalization shared by the whole suite.

Plain Python on top of ``phonenumbers`` so that it can be tested and reused
(telephony webhooks, booking forms, imports) without an Odoo environment.
"""

import functools
import re
from dataclasses import dataclass

import phonenumbers

# French and English extension markers: "poste 12", "p. 12", "ext. 12", "x12", "#12"
_EXTENSION_RE = re.compile(
    r"\s*(?:poste|post|p\.|extension|ext\.?|x|#)\s*:?\s*(\d{1,6})\s*$",
    re.IGNORECASE,
)
_LETTER_RE = re.compile(r"[^\W\d_]", re.UNICODE)
_ALLOWED_RE = re.compile(r"^[\d\s().+\-/]+$")
MIN_DIGITS = 6
MAX_LENGTH = 64


class PhoneNormalizationError(ValueError):
    """The text is not a phone number we can index or dial."""


@dataclass(frozen=True)
class NormalizedPhone:
    e164: str
    extension: str | None
    country_code: int


def normalize_phone(number, region=None):
    """Return a :class:`NormalizedPhone` for ``number`` or raise.

    ``region`` is the ISO 3166 alpha-2 code used for national numbers
    (``06 12 34 56 78`` with ``FR``). International forms (``+33``, ``0033``,
    ``+33 (0)6``) do not need it.
    """
    if not isinstance(number, str):
        raise PhoneNormalizationError("not a text")
    return _normalize_text(number, region or None)


# A pure function of its arguments, on the hot path of every incoming call
# (the caller, the line's own number): parsed once per worker. Refusals
# raise, so they are not kept.
@functools.lru_cache(maxsize=4096)
def _normalize_text(number, region):
    text = number.strip()
    if not text:
        raise PhoneNormalizationError("empty")
    if len(text) > MAX_LENGTH:
        raise PhoneNormalizationError("too long")
    extension = None
    match = _EXTENSION_RE.search(text)
    if match:
        extension = match.group(1)
        text = text[: match.start()].strip()
    if _LETTER_RE.search(text):
        raise PhoneNormalizationError("contains letters")
    if not _ALLOWED_RE.match(text):
        raise PhoneNormalizationError("unexpected characters")
    digits = re.sub(r"\D", "", text)
    if len(digits) < MIN_DIGITS:
        raise PhoneNormalizationError("too short")
    region = (region or "").upper() or None
    if text.startswith("00"):
        # 0033… is the international prefix in most of Europe, whatever the region
        text = "+" + text[2:]
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise PhoneNormalizationError(str(exc)) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise PhoneNormalizationError("not a valid number for its country")
    return NormalizedPhone(
        e164=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
        extension=extension or parsed.extension or None,
        country_code=parsed.country_code,
    )


def to_e164(number, region=None):
    """Return the E.164 form of ``number`` or ``None`` when it is not one."""
    try:
        return normalize_phone(number, region).e164
    except PhoneNormalizationError:
        return None
