# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What tells two sign-ups apart: a canonical e-mail key, a device id, a
referral code. Plain Python, tested without Odoo."""

import re
import secrets
import uuid

# mailboxes where dots in the local part are ignored and "+tag" is an alias
DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}
# mailboxes where "+tag" is an alias (dots matter there)
PLUS_ALIAS_DOMAINS = {
    "outlook.com",
    "outlook.fr",
    "hotmail.com",
    "hotmail.fr",
    "live.com",
    "live.fr",
    "icloud.com",
    "me.com",
    "protonmail.com",
    "proton.me",
    "pm.me",
    "fastmail.com",
    "laposte.net",
    "orange.fr",
    "free.fr",
    "yahoo.com",
    "yahoo.fr",
}
# a short list of throw-away mail services; Settings holds the real one
DEFAULT_DISPOSABLE_DOMAINS = (
    "mailinator.com",
    "yopmail.com",
    "yopmail.fr",
    "guerrillamail.com",
    "sharklasers.com",
    "10minutemail.com",
    "temp-mail.org",
    "tempmail.com",
    "trashmail.com",
    "getnada.com",
    "dispostable.com",
    "maildrop.cc",
    "throwawaymail.com",
    "jetable.org",
    "mailnesia.com",
)
# no 0/O, 1/I/L: a code read aloud or copied by hand stays right
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
CODE_RE = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")


def email_key(email):
    """The mailbox an address reaches: lower case; for Gmail-like domains
    without dots and "+tag"; for domains with plus-aliases without "+tag".
    None for something that is not an address."""
    email = (email or "").strip().lower()
    local, sep, domain = email.rpartition("@")
    if not sep or not local or not domain:
        return None
    domain = domain.rstrip(".")
    if domain in DOTLESS_DOMAINS:
        local = local.split("+", 1)[0].replace(".", "")
        domain = DOTLESS_DOMAINS[domain]
    elif domain in PLUS_ALIAS_DOMAINS:
        local = local.split("+", 1)[0]
    if not local:
        return None
    return f"{local}@{domain}"


def email_domain(email):
    return (email or "").strip().lower().rpartition("@")[2].rstrip(".")


def parse_domains(text):
    """A list of domains typed in Settings (commas, spaces or new lines)."""
    return {
        part.strip().lower().lstrip("@").rstrip(".")
        for part in re.split(r"[\s,;]+", text or "")
        if part.strip()
    }


def is_disposable(email, domains):
    """Whether the address is at one of ``domains`` or one of their
    sub-domains."""
    domain = email_domain(email)
    while domain:
        if domain in domains:
            return True
        _head, sep, domain = domain.partition(".")
        if not sep:
            break
    return False


def clean_device_id(value):
    """The device id the sign-up page keeps in localStorage (a UUID), or
    None when what was posted is not one."""
    try:
        return str(uuid.UUID(str(value or "").strip()))
    except ValueError:
        return None


def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def clean_code(value):
    """A referral code as typed (any case, spaces, dashes), or None."""
    value = re.sub(r"[\s-]+", "", value or "").upper()
    return value if CODE_RE.match(value) else None
