# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pure helpers about OBD-II trouble code identifiers (no Odoo import)."""

import re

DTC_CODE_RE = re.compile(r"^[PCBU][0-3][0-9A-F]{3}$")


def dtc_system(code):
    """``P``, ``C``, ``B`` or ``U``: the letter says which system reported it."""
    return code[:1].upper() or False


def dtc_scope(code):
    """``generic`` or ``manufacturer`` from the first digit of the code.

    0 and 2 are generic (same meaning on every car), 1 is manufacturer
    specific. 3 is split: P3400-P39FF and the U3xxx block are generic,
    the other 3xxx ranges are left to the manufacturers.
    """
    code = code.upper()
    digit = code[1:2]
    if digit in ("0", "2"):
        return "generic"
    if digit == "3":
        if code[0] == "U" or (
            code[0] == "P" and code[2:3] in ("4", "5", "6", "7", "8", "9")
        ):
            return "generic"
    return "manufacturer"
