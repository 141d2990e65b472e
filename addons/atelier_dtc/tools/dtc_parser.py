# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Read trouble-code files (OBDex-shaped YAML/JSON, flat CSV) into plain dicts.

No Odoo import: the wizard and the benchmark share this code path.

A parsed entry::

    {"code": "P0301", "title": {"en": "...", "fr": "..."},
     "description": {...}, "likely_causes": {...}, "symptoms": {...},
     "severity": "high", "mil": True, "emissions_relevant": True}

Texts are keyed by two-letter language code, as in the OBDex files; causes and
symptoms are one per line (causes most likely first). The wizard stores the
text fields that ``atelier.dtc`` has (``symptoms`` comes with the knowledge
base).
"""

import csv
import io
import json

from .dtc_codes import DTC_CODE_RE

try:  # PyYAML is optional: without it, YAML files are refused
    import yaml
except ImportError:  # pragma: no cover - depends on the environment
    yaml = None

FORMATS = ("csv", "json", "yaml")
SEVERITIES = ("low", "medium", "high", "critical")
LIKELIHOOD_ORDER = {"high": 0, "medium": 1, "low": 2}
TEXT_FIELDS = ("title", "description", "likely_causes", "symptoms")


class DtcFileError(ValueError):
    """The file cannot be read at all (wrong format, broken syntax)."""


def guess_format(filename):
    name = (filename or "").lower()
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".json"):
        return "json"
    if name.endswith((".yaml", ".yml")):
        return "yaml"
    return None


def yaml_available():
    return yaml is not None


def load_records(content, file_format):
    """Raw records (dicts) from the bytes of a file; raises DtcFileError."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DtcFileError(f"the file is not UTF-8 text ({exc})") from exc
    if file_format == "csv":
        return list(csv.DictReader(io.StringIO(content)))
    if file_format == "json":
        try:
            data = json.loads(content)
        except ValueError as exc:
            raise DtcFileError(f"invalid JSON: {exc}") from exc
    elif file_format == "yaml":
        if yaml is None:
            raise DtcFileError("YAML files need the PyYAML package on the server")
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        try:
            data = yaml.load(content, Loader=loader)  # noqa: S506 - safe loader
        except yaml.YAMLError as exc:
            raise DtcFileError(f"invalid YAML: {exc}") from exc
    else:
        raise DtcFileError(f"unknown format {file_format!r}")
    if isinstance(data, dict):
        data = data.get("codes", data.get("dtcs"))
    if not isinstance(data, list):
        raise DtcFileError("expected a list of trouble codes")
    return data


def parse_records(records):
    """``(entries, errors)``: normalized entries and ``(index, reason)`` pairs.

    A later entry for the same code replaces an earlier one.
    """
    entries = {}
    errors = []
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            errors.append((index, "not an object"))
            continue
        try:
            entry = _parse_flat(record) if _is_flat(record) else _parse_nested(record)
        except ValueError as exc:
            errors.append((index, str(exc)))
            continue
        entries[entry["code"]] = entry
    return list(entries.values()), errors


def _is_flat(record):
    return not isinstance(record.get("title"), dict)


def _code(raw):
    code = "".join(str(raw or "").split()).upper()
    if not DTC_CODE_RE.match(code):
        raise ValueError(f"invalid code {raw!r}")
    return code


def _texts(value):
    if isinstance(value, dict):
        return {
            str(lang).lower(): str(text).strip()
            for lang, text in value.items()
            if isinstance(text, str) and text.strip()
        }
    if isinstance(value, str) and value.strip():
        return {"en": value.strip()}
    return {}


def _bool(value):
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "y", "x")
    return bool(value)


def _severity(record, flags, repair):
    severity = str(record.get("severity") or "").strip().lower()
    if severity in SEVERITIES:
        return severity
    if flags.get("limp_mode_possible") or repair.get("difficulty") == "shop_only":
        return "high"
    if flags.get("mil"):
        return "medium"
    return "low"


def _parse_nested(record):
    """One OBDex entry (see the OBDex code.schema.json)."""
    code = _code(record.get("code"))
    title = _texts(record.get("title"))
    if not title.get("en"):
        raise ValueError(f"{code}: no English title")
    flags = record.get("flags") if isinstance(record.get("flags"), dict) else {}
    repair = record.get("repair") if isinstance(record.get("repair"), dict) else {}
    causes = record.get("common_causes") or []
    causes = sorted(
        (c for c in causes if isinstance(c, dict) and isinstance(c.get("label"), dict)),
        key=lambda c: LIKELIHOOD_ORDER.get(c.get("likelihood"), 3),
    )
    likely_causes = {}
    for cause in causes:
        for lang, label in _texts(cause["label"]).items():
            likely_causes.setdefault(lang, []).append(label)
    symptoms = {}
    for symptom in record.get("symptoms") or []:
        for lang, label in _texts(symptom).items():
            symptoms.setdefault(lang, []).append(label)
    return {
        "code": code,
        "title": title,
        "description": _texts(record.get("description")),
        "likely_causes": {
            lang: "\n".join(labels) for lang, labels in likely_causes.items()
        },
        "symptoms": {lang: "\n".join(labels) for lang, labels in symptoms.items()},
        "severity": _severity(record, flags, repair),
        "mil": bool(flags.get("mil")),
        "emissions_relevant": bool(flags.get("emissions_relevant")),
    }


def _parse_flat(record):
    """One CSV row: ``code``, ``title_en``, ``title_fr``, ``description_en``…,
    ``likely_causes_en``…, ``symptoms_en``…, ``severity``, ``mil``,
    ``emissions_relevant``."""
    code = _code(record.get("code"))
    texts = {name: {} for name in TEXT_FIELDS}
    for key, value in record.items():
        if not key or not isinstance(value, str) or not value.strip():
            continue
        name, _sep, lang = key.strip().lower().rpartition("_")
        if name in texts and len(lang) == 2:
            texts[name][lang] = value.strip()
    if isinstance(record.get("title"), str) and record["title"].strip():
        texts["title"].setdefault("en", record["title"].strip())
    if not texts["title"].get("en"):
        raise ValueError(f"{code}: no English title")
    flags = {"mil": _bool(record.get("mil"))}
    return {
        "code": code,
        **texts,
        "severity": _severity(record, flags, {}),
        "mil": flags["mil"],
        "emissions_relevant": _bool(record.get("emissions_relevant")),
    }
