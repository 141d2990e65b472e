# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Vehicle identification numbers (ISO 3779), pure Python.

Structure, for every VIN: 17 characters, digits and capital letters except
I, O and Q (they look like 1 and 0).

Check digit (position 9): computed with the North-American rule (49 CFR 565:
transliteration, weights 8 7 6 5 4 3 2 10 0 9 8 7 6 5 4 3 2, remainder modulo
11, 10 written X). It is mandatory for vehicles built for North America, whose
world manufacturer identifier starts with 1-5 (United States 1, 4, 5; Canada
2; Mexico 3). European and Asian manufacturers are not bound by it and often
put a letter or a plant code there, so for any other first character the check
digit is not enforced (and no warning is given).
"""

import re

VIN_RE = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
NORTH_AMERICA = frozenset("12345")
_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


class VinError(ValueError):
    """Not a valid VIN; ``code`` tells why (length, chars, check_digit)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def normalize_vin(vin):
    """Upper case, without spaces and dashes (as often typed from a document)."""
    return re.sub(r"[\s-]+", "", vin or "").upper()


def check_digit(vin):
    """The expected position-9 character of a structurally valid VIN."""
    total = sum(
        _VALUES[char] * weight for char, weight in zip(vin, _WEIGHTS, strict=True)
    )
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def check_digit_applies(vin):
    return vin[:1] in NORTH_AMERICA


def validate_vin(vin, check_structure_only=False):
    """Normalized VIN, or VinError."""
    vin = normalize_vin(vin)
    if len(vin) != 17:
        raise VinError("length", f"a VIN has 17 characters, {vin!r} has {len(vin)}")
    if not VIN_RE.match(vin):
        bad = sorted({c for c in vin if not re.match(r"[A-HJ-NPR-Z0-9]", c)})
        raise VinError(
            "chars",
            f"{vin!r} contains {''.join(bad)!r}: a VIN uses digits and capital "
            "letters except I, O and Q",
        )
    if not check_structure_only and check_digit_applies(vin):
        expected = check_digit(vin)
        if vin[8] != expected:
            raise VinError(
                "check_digit",
                f"{vin!r}: the check digit (9th character) should be {expected!r} "
                f"for a North-American VIN, not {vin[8]!r}",
            )
    return vin
