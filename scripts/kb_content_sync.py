#!/usr/bin/env python3
"""Copy the knowledge-base content written in YAML into the repository.

Reads a content folder (``articles/<slug>.yaml``, ``codes/<CODE>.yaml``,
``eval_questions.yaml``, the layout of the content writers), checks every
file (required keys, domains, kinds, severities, code format, references
between articles, codes and questions) and writes:

- ``addons/atelier_knowledge/demo/kb_articles.yaml`` and ``kb_codes.yaml``
  (the demo content, loaded by ``atelier.kb.article._kb_load_demo_content``);
- ``scripts/eval_kb_questions.yaml`` (the questions of ``scripts/eval_kb.py``).

Corrections of the source go in ``FIXES`` below, so that re-running the copy
keeps them. Usage: .venv/bin/python scripts/kb_content_sync.py /work/kbcontent
Exit status 1 when a file is invalid (nothing is written).
"""

import argparse
import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEMO = ROOT / "addons" / "atelier_knowledge" / "demo"
QUESTIONS = ROOT / "scripts" / "eval_kb_questions.yaml"

DOMAINS = {
    "thermique",
    "electrique",
    "hybride",
    "hydrogene",
    "gpl",
    "adas",
    "diagnostic",
}
KINDS = {"explication", "procedure", "checklist"}
SEVERITIES = {"low", "medium", "high", "critical"}
CODE_RE = re.compile(r"^[PCBU][0-3][0-9A-F]{3}$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Corrections of the source files: (kind, key) -> {field: new value}.
FIXES = {}


class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def _load(path, problems):
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as exc:
        problems.append(f"{path.name}: {exc}")
        return None


def read_articles(folder, problems):
    articles = []
    for path in sorted((folder / "articles").glob("*.yaml")):
        entry = _load(path, problems)
        if not isinstance(entry, dict):
            problems.append(f"{path.name}: not a mapping")
            continue
        entry.update(FIXES.get(("article", entry.get("slug")), {}))
        where = f"articles/{path.name}"
        for key in ("slug", "title", "domain", "kind", "summary", "body"):
            if not entry.get(key):
                problems.append(f"{where}: no {key}")
        if not SLUG_RE.match(str(entry.get("slug", ""))):
            problems.append(f"{where}: bad slug {entry.get('slug')!r}")
        if entry.get("domain") not in DOMAINS:
            problems.append(f"{where}: unknown domain {entry.get('domain')!r}")
        if entry.get("kind") not in KINDS:
            problems.append(f"{where}: unknown kind {entry.get('kind')!r}")
        entry["codes"] = [str(c).strip().upper() for c in entry.get("codes") or []]
        entry["tags"] = [str(t).strip() for t in entry.get("tags") or []]
        for code in entry["codes"]:
            if not CODE_RE.match(code):
                problems.append(f"{where}: bad code {code!r}")
        articles.append(
            {
                key: entry.get(key)
                for key in (
                    "slug",
                    "title",
                    "domain",
                    "kind",
                    "tags",
                    "codes",
                    "summary",
                    "body",
                )
            }
        )
    return articles


def read_codes(folder, problems):
    codes = []
    for path in sorted((folder / "codes").glob("*.yaml")):
        entry = _load(path, problems)
        if not isinstance(entry, dict):
            problems.append(f"{path.name}: not a mapping")
            continue
        entry["code"] = str(entry.get("code", "")).strip().upper()
        entry.update(FIXES.get(("code", entry["code"]), {}))
        where = f"codes/{path.name}"
        if not CODE_RE.match(entry["code"]):
            problems.append(f"{where}: bad code {entry['code']!r}")
        for key in ("title", "description"):
            if not entry.get(key):
                problems.append(f"{where}: no {key}")
        if entry.get("severity") not in SEVERITIES:
            problems.append(f"{where}: unknown severity {entry.get('severity')!r}")
        for key in ("symptoms", "causes", "checks", "articles"):
            value = entry.get(key) or []
            if not isinstance(value, list):
                problems.append(f"{where}: {key} is not a list")
                value = []
            entry[key] = [str(item).strip() for item in value if str(item).strip()]
        codes.append(
            {
                key: entry.get(key)
                for key in (
                    "code",
                    "title",
                    "description",
                    "severity",
                    "symptoms",
                    "causes",
                    "checks",
                    "articles",
                )
            }
        )
    return codes


def read_questions(folder, problems, known):
    path = folder / "eval_questions.yaml"
    if not path.exists():
        return []
    data = _load(path, problems) or []
    questions = []
    for index, item in enumerate(data, 1):
        if not isinstance(item, dict) or not item.get("question"):
            problems.append(f"eval_questions.yaml #{index}: no question")
            continue
        expected = [str(e).strip() for e in item.get("expected") or []]
        expected = [e.upper() if CODE_RE.match(e.upper()) else e for e in expected]
        for target in expected:
            if target not in known:
                problems.append(
                    f"eval_questions.yaml #{index}: expects {target!r}, which is "
                    "neither an article nor a code of the content"
                )
        if not expected:
            problems.append(f"eval_questions.yaml #{index}: nothing expected")
        questions.append({"question": str(item["question"]), "expected": expected})
    return questions


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=pathlib.Path)
    parser.add_argument(
        "--check", action="store_true", help="check only, write nothing"
    )
    args = parser.parse_args()
    problems = []
    articles = read_articles(args.folder, problems)
    codes = read_codes(args.folder, problems)
    slugs = {a["slug"] for a in articles}
    code_names = {c["code"] for c in codes}
    for code in codes:
        for slug in code["articles"]:
            if slug not in slugs:
                problems.append(f"codes/{code['code']}: unknown article {slug!r}")
    if len(slugs) != len(articles):
        problems.append("two articles share a slug")
    questions = read_questions(args.folder, problems, slugs | code_names)
    print(
        f"{len(articles)} articles, {len(codes)} codes, {len(questions)} questions, "
        f"{len(problems)} problems"
    )
    for problem in problems:
        print(f"  {problem}")
    if problems:
        return 1
    if args.check:
        return 0
    dump = {"allow_unicode": True, "sort_keys": False, "width": 100, "Dumper": _Dumper}
    header = (
        "# Knowledge-base demo content, written in French for this project.\n"
        "# Generated by scripts/kb_content_sync.py: edit the source and re-run.\n"
    )
    for name, data in (("kb_articles.yaml", articles), ("kb_codes.yaml", codes)):
        (DEMO / name).write_text(header + yaml.dump(data, **dump), encoding="utf-8")
    if questions:
        QUESTIONS.write_text(
            "# Questions of scripts/eval_kb.py, as users ask them, with the\n"
            "# articles (slugs) and codes a good search returns in its top 5.\n"
            + yaml.dump(questions, **dump),
            encoding="utf-8",
        )
    print(f"written: {DEMO}/kb_articles.yaml, kb_codes.yaml, {QUESTIONS.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
