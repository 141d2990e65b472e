# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Offline suggestions on a CV: weak verbs, missing sections, length,
tailoring to a job offer. Each suggestion is ``(kind, code, params)``; the
model turns the code into a French sentence."""

import re

from .text import fold, missing_terms

# weak openings (folded) -> stronger verbs to propose
WEAK_VERBS = {
    "responsable de": "piloté, dirigé, garanti",
    "charge de": "réalisé, conduit, assuré",
    "chargee de": "réalisé, conduit, assuré",
    "participe a": "contribué à, mené, déployé",
    "participation a": "contribué à, mené, déployé",
    "aide a": "accompagné, facilité, permis",
    "aider": "accompagner, faciliter",
    "fait": "réalisé, effectué, produit",
    "faire": "réaliser, effectuer",
    "travaille sur": "conçu, développé, amélioré",
    "s'occuper de": "gérer, superviser",
    "occupe de": "géré, supervisé",
    "divers": "précisez lesquels",
}
REQUIRED_SECTIONS = ("experience", "education", "skill", "language")
PROFILE_MIN, PROFILE_MAX = 150, 700
WORDS_MIN, WORDS_MAX = 150, 900


def suggestions(values, lines, job_terms=()):
    """Offline suggestions for a CV (``values``: its fields, ``lines``: dicts
    with ``section``, ``title``, ``description``, ``highlights``)."""
    found = []
    for line in lines:
        text = fold(
            " ".join([line.get("description") or "", line.get("highlights") or ""])
        )
        for weak, strong in WEAK_VERBS.items():
            if re.search(r"(?<![\w])" + re.escape(weak) + r"(?![\w])", text):
                found.append(
                    (
                        "verb",
                        "weak_verb",
                        {
                            "weak": weak,
                            "strong": strong,
                            "entry": line.get("title") or "",
                        },
                    )
                )
                break
    sections = {line.get("section") for line in lines}
    for section in REQUIRED_SECTIONS:
        if section not in sections:
            found.append(("section", "missing_section", {"section": section}))
    if not (values.get("profile") or "").strip():
        found.append(("section", "missing_profile", {}))
    else:
        size = len(values["profile"].strip())
        if size < PROFILE_MIN:
            found.append(
                ("length", "profile_short", {"size": size, "min": PROFILE_MIN})
            )
        elif size > PROFILE_MAX:
            found.append(("length", "profile_long", {"size": size, "max": PROFILE_MAX}))
    total = len(
        " ".join(
            [values.get("profile") or ""]
            + [
                " ".join([line.get("description") or "", line.get("highlights") or ""])
                for line in lines
            ]
        ).split()
    )
    if total < WORDS_MIN:
        found.append(("length", "cv_short", {"words": total, "min": WORDS_MIN}))
    elif total > WORDS_MAX:
        found.append(("length", "cv_long", {"words": total, "max": WORDS_MAX}))
    for line in lines:
        if line.get("section") == "experience" and not (
            (line.get("description") or "").strip()
            or (line.get("highlights") or "").strip()
        ):
            found.append(("length", "empty_entry", {"entry": line.get("title") or ""}))
    if job_terms:
        cv_text = cv_plain_text(values, lines)
        missing = missing_terms(cv_text, job_terms)
        if missing:
            found.append(
                ("tailoring", "missing_terms", {"terms": ", ".join(missing[:12])})
            )
    return found


def cv_plain_text(values, lines):
    """Every word the CV shows, in reading order."""
    parts = [
        values.get(key) or ""
        for key in (
            "full_name",
            "headline",
            "email",
            "phone",
            "city",
            "website",
            "profile",
        )
    ]
    for line in lines:
        parts.extend(
            line.get(key) or ""
            for key in (
                "title",
                "organization",
                "area",
                "location",
                "level",
                "description",
                "highlights",
                "keywords",
            )
        )
    return "\n".join(part for part in parts if part)
