# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Checks of what a visitor types in a public form."""

import re

# markup, script URLs, event handlers, template syntax and control characters
_SCRIPTED_RE = re.compile(
    r"<\s*[a-z!/?]|javascript\s*:|vbscript\s*:|data\s*:\s*text/html|\bon[a-z]+\s*=|\{\{|\{%"
    r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]",
    re.IGNORECASE,
)
# attribution values: what UTM tags and referral codes are made of
_TAG_RE = re.compile(r"^[\w .:/@+&%=?#~,'()-]{0,200}$", re.UNICODE)


def is_scripted(value):
    return bool(value) and bool(_SCRIPTED_RE.search(value))


def clean_tag(value, max_length=100):
    """An attribution value (UTM tag, referral code, landing page) or None
    when it is not one."""
    value = (value or "").strip()
    if not value or len(value) > max_length or not _TAG_RE.match(value):
        return None
    if is_scripted(value):
        return None
    return value
