# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""JSON Resume (https://jsonresume.org/schema, v1.0.0) to and from a CV.

A CV is a plain dict here (see :func:`to_cv`); what a CV has no field for
(volunteering, awards, profiles, an entry's courses…) is kept in ``extra``
dicts and written back as it came, so that import then export gives the
same document. Only empty strings and empty lists are not kept.
"""

import json

import jsonschema

MAX_BYTES = 256 * 1024
MAX_DEPTH = 12
MAX_ITEMS = 200
MAX_STRING = 10000

_DATE = {
    "type": "string",
    "pattern": r"^([1-2][0-9]{3}-[0-1][0-9]-[0-3][0-9]|[1-2][0-9]{3}-[0-1][0-9]"
    r"|[1-2][0-9]{3})$",
}
_STR = {"type": "string"}
_STRS = {"type": "array", "items": _STR}


def _obj(**properties):
    return {"type": "object", "additionalProperties": True, "properties": properties}


def _list(item):
    return {"type": "array", "items": item}


# the structure of the public schema (types and date formats); its extra
# properties are allowed, as in the public schema
RESUME_SCHEMA = _obj(
    basics=_obj(
        name=_STR,
        label=_STR,
        image=_STR,
        email=_STR,
        phone=_STR,
        url=_STR,
        summary=_STR,
        location=_obj(
            address=_STR, postalCode=_STR, city=_STR, countryCode=_STR, region=_STR
        ),
        profiles=_list(_obj(network=_STR, username=_STR, url=_STR)),
    ),
    work=_list(
        _obj(
            name=_STR,
            location=_STR,
            description=_STR,
            position=_STR,
            url=_STR,
            startDate=_DATE,
            endDate=_DATE,
            summary=_STR,
            highlights=_STRS,
        )
    ),
    volunteer=_list(_obj(startDate=_DATE, endDate=_DATE, highlights=_STRS)),
    education=_list(
        _obj(
            institution=_STR,
            url=_STR,
            area=_STR,
            studyType=_STR,
            startDate=_DATE,
            endDate=_DATE,
            score=_STR,
            courses=_STRS,
        )
    ),
    awards=_list(_obj(title=_STR, date=_DATE, awarder=_STR, summary=_STR)),
    certificates=_list(_obj(name=_STR, date=_DATE, url=_STR, issuer=_STR)),
    publications=_list(_obj(name=_STR, releaseDate=_DATE)),
    skills=_list(_obj(name=_STR, level=_STR, keywords=_STRS)),
    languages=_list(_obj(language=_STR, fluency=_STR)),
    interests=_list(_obj(name=_STR, keywords=_STRS)),
    references=_list(_obj(name=_STR, reference=_STR)),
    projects=_list(
        _obj(name=_STR, startDate=_DATE, endDate=_DATE, highlights=_STRS, url=_STR)
    ),
    meta=_obj(canonical=_STR, version=_STR, lastModified=_STR),
)

JOB_SCHEMA = _obj(
    title=_STR,
    company=_STR,
    type=_STR,
    date=_DATE,
    description=_STR,
    location=_obj(city=_STR, countryCode=_STR),
    remote=_STR,
    salary=_STR,
    experience=_STR,
    responsibilities=_STRS,
    qualifications=_STRS,
    skills=_list(_obj(name=_STR, level=_STR, keywords=_STRS)),
    meta=_obj(),
)

# section -> (JSON Resume key, {JSON key: CV line field})
SECTIONS = {
    "experience": (
        "work",
        {
            "name": "organization",
            "position": "title",
            "location": "location",
            "url": "url",
            "startDate": "date_start",
            "endDate": "date_end",
            "summary": "description",
        },
    ),
    "education": (
        "education",
        {
            "institution": "organization",
            "studyType": "title",
            "area": "area",
            "url": "url",
            "startDate": "date_start",
            "endDate": "date_end",
            "score": "level",
        },
    ),
    "skill": ("skills", {"name": "title", "level": "level"}),
    "language": ("languages", {"language": "title", "fluency": "level"}),
    "certificate": (
        "certificates",
        {"name": "title", "issuer": "organization", "date": "date_start", "url": "url"},
    ),
}
# lists kept in a text field, one item per line (experience) or comma-separated
LIST_FIELDS = {
    "experience": ("highlights", "highlights", "\n"),
    "skill": ("keywords", "keywords", ", "),
}
BASICS = {
    "name": "full_name",
    "label": "headline",
    "email": "email",
    "phone": "phone",
    "url": "website",
    "summary": "profile",
}
LOCATION = {"city": "city", "countryCode": "country_code"}


class ResumeError(ValueError):
    """``code`` names the problem (see the model for the user's message),
    ``detail`` says where."""

    def __init__(self, code, detail=""):
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


def _depth(value, level=0):
    if level > MAX_DEPTH:
        raise ResumeError("too_deep")
    if isinstance(value, dict):
        if len(value) > MAX_ITEMS:
            raise ResumeError("too_many")
        for item in value.values():
            _depth(item, level + 1)
    elif isinstance(value, list):
        if len(value) > MAX_ITEMS:
            raise ResumeError("too_many")
        for item in value:
            _depth(item, level + 1)
    elif isinstance(value, str) and len(value) > MAX_STRING:
        raise ResumeError("too_long")


def parse(raw, schema=None):
    """The document in ``raw`` (bytes or str), checked: size, JSON, depth,
    sizes and the schema (default: JSON Resume's). Raises
    :class:`ResumeError`."""
    schema = schema or RESUME_SCHEMA
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if not raw or not raw.strip():
        raise ResumeError("empty")
    if len(raw) > MAX_BYTES:
        raise ResumeError("too_big")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ResumeError("not_json", str(exc)[:120]) from None
    if not isinstance(data, dict):
        raise ResumeError("not_object")
    _depth(data)
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft7Validator(schema).iter_errors(data)
    )
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "/"
        raise ResumeError("schema", f"{where}: {error.message[:160]}")
    return data


def _split(section, field, value):
    _key, _target, sep = LIST_FIELDS[section]
    items = [item.strip() for item in (value or "").split(sep.strip() or sep)]
    return [item for item in items if item]


def to_cv(data):
    """A checked JSON Resume document -> ``{"values": {...}, "lines": [...],
    "extra": {...}}`` where lines are dicts of CV line fields."""
    data = dict(data)
    basics = dict(data.pop("basics", None) or {})
    values = {}
    for key, field in BASICS.items():
        if key in basics:
            values[field] = basics.pop(key)
    location = dict(basics.pop("location", None) or {})
    for key, field in LOCATION.items():
        if key in location:
            values[field] = location.pop(key)
    if location:
        basics["location"] = location
    lines = []
    for section, (key, mapping) in SECTIONS.items():
        for item in data.pop(key, None) or []:
            item = dict(item)
            line = {"section": section}
            for json_key, field in mapping.items():
                if json_key in item:
                    line[field] = item.pop(json_key)
            if section in LIST_FIELDS:
                list_key, field, sep = LIST_FIELDS[section]
                entries = item.get(list_key)
                if entries is not None and all(
                    (sep.strip() or sep) not in entry
                    and entry.strip() == entry
                    and entry
                    for entry in entries
                ):
                    line[field] = sep.join(item.pop(list_key))
            line["extra"] = item
            lines.append(line)
    if basics:
        data["basics"] = basics
    return {"values": values, "lines": lines, "extra": data}


def from_cv(values, lines, extra=None):
    """The inverse of :func:`to_cv`: a JSON Resume document."""
    data = json.loads(json.dumps(extra or {}))
    basics = dict(data.pop("basics", None) or {})
    for key, field in BASICS.items():
        if values.get(field):
            basics[key] = values[field]
    location = dict(basics.pop("location", None) or {})
    for key, field in LOCATION.items():
        if values.get(field):
            location[key] = values[field]
    if location:
        basics["location"] = location
    document = {}
    if basics:
        document["basics"] = basics
    for section, (key, mapping) in SECTIONS.items():
        items = []
        for line in lines:
            if line.get("section") != section:
                continue
            item = dict(line.get("extra") or {})
            for json_key, field in mapping.items():
                if line.get(field):
                    item[json_key] = line[field]
            if section in LIST_FIELDS and line.get(LIST_FIELDS[section][1]):
                item[LIST_FIELDS[section][0]] = _split(
                    section, LIST_FIELDS[section][1], line[LIST_FIELDS[section][1]]
                )
            items.append(item)
        if items:
            document[key] = items
    document.update(data)
    return document


def job_terms(job):
    """Skills and keywords a checked JSON job document asks for."""
    terms = []
    for skill in job.get("skills") or []:
        if skill.get("name"):
            terms.append(skill["name"])
        terms.extend(skill.get("keywords") or [])
    return terms


def job_text(job):
    """The readable text of a JSON job document."""
    parts = [job.get("title") or "", job.get("description") or ""]
    for key in ("responsibilities", "qualifications"):
        parts.extend(job.get(key) or [])
    return "\n".join(part for part in parts if part)
