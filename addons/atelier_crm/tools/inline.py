# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Inline templates ("Hello {{ object.name }}") rendered for many records.

Odoo's ``render_inline_template`` calls ``safe_eval`` for each record, which
compiles and checks the expression each time. Here each expression is
compiled and checked once (the same checks as ``safe_eval``: the opcode
whitelist, the restricted builtins, the values allowed in the context),
then evaluated for every record.
"""

from odoo.tools.rendering_tools import parse_inline_template
from odoo.tools.safe_eval import (
    _BUILTINS,
    _SAFE_OPCODES,
    assert_valid_codeobj,
    check_values,
    compile_codeobj,
)

_CODES = {}
_CODES_MAX = 256


def _code(expression):
    code = _CODES.get(expression)
    if code is None:
        code = compile_codeobj(expression, mode="eval")
        assert_valid_codeobj(_SAFE_OPCODES, code, expression)
        if len(_CODES) >= _CODES_MAX:
            _CODES.clear()
        _CODES[expression] = code
    return code


def render_many(text, variables, records):
    """``{record id: rendered text}`` of the inline template ``text``."""
    instructions = [
        (literal, _code(expression) if expression else None, default)
        for literal, expression, default in parse_inline_template(text or "")
    ]
    check_values(variables)
    namespace = dict(variables, __builtins__=dict(_BUILTINS))
    results = {}
    for record in records:
        namespace["object"] = record
        parts = []
        for literal, code, default in instructions:
            parts.append(literal)
            if code is not None:
                value = eval(code, namespace, None) or default  # noqa: S307 - checked above
                if value:
                    parts.append(str(value))
        results[record.id] = "".join(parts)
    return results
