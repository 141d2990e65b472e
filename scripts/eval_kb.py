#!/usr/bin/env python3
"""Knowledge-base search quality: French questions as users ask them.

Creates a throw-away database with atelier_knowledge and its demo content
(the French articles and trouble-code pages), optionally imports the OBDex
codes through the import wizard's code path (``--obdex``: 9,533 English codes
compete with ours, as in production), then asks every question of
``scripts/eval_kb_questions.yaml`` to:

- ``search_kb``: ``atelier.kb.search.search_kb(question, limit=10)``;
- ``ilike (query)``: what Odoo's search box does, the whole question
  ``ilike`` on the title, summary and body of the articles and the code,
  title and description of the codes (articles first, then codes);
- ``ilike (words)``: each word of 3 letters or more ``ilike`` in those
  fields, results ordered by the number of words they contain (the best one
  can do with ``ilike`` alone).

Prints, for each method: recall@5 (share of the expected articles and codes
found in the first 5, averaged over the questions), hit@5 (questions with at
least one expected item in the first 5) and MRR (1/rank of the first
expected item in the first 10). With ``--misses`` it lists the questions
``search_kb`` misses. Figures, not a test: exit status 0.

Usage: .venv/bin/python scripts/eval_kb.py [--obdex ../shared/data/obdex]
       [--db NAME] [--keep] [--misses]
"""

import argparse
import pathlib
import re
import subprocess
import sys
import time

import yaml
from _bench_common import ODOO_SRC, config_args

ROOT = pathlib.Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "scripts" / "eval_kb_questions.yaml"
CODE_RE = re.compile(r"^[PCBU][0-3][0-9A-F]{3}$")
WORD_RE = re.compile(r"[^\W_]{3,}")


def create_db(db, obdex):
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    print(f"creating database {db} with atelier_knowledge and its demo …", flush=True)
    subprocess.run(
        [
            sys.executable,
            f"{ODOO_SRC}/odoo-bin",
            *config_args(db),
            "-i",
            "atelier_knowledge",
            "--with-demo",
            "--load-language=fr_FR",
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
    )


def import_obdex(env, folder):
    files = sorted(pathlib.Path(folder, "data", "generic").glob("*.yaml"))
    if not files:
        sys.exit(f"no data/generic/*.yaml under {folder}")
    wizard = env["atelier.dtc.import"].create(
        {"data_file": b"W10=", "filename": "obdex.yaml"}
    )
    began = time.perf_counter()
    total = 0
    for path in files:
        stats = wizard._import_content(path.read_bytes(), "yaml")
        total += stats["created_count"] + stats["updated_count"]
    print(f"OBDex: {total} codes imported in {time.perf_counter() - began:.1f}s")


def key_of(kind, record):
    return record.code if kind == "code" else record.slug


def run_search_kb(env, question):
    answer = env["atelier.kb.search"].search_kb(question, limit=10)
    keys = []
    for result in answer["results"]:
        if result["kind"] == "code":
            keys.append(result["code"])
        else:
            keys.append(result["url"].rsplit("/", 1)[-1])
    return keys


def _article_domain(text):
    return [
        "|",
        "|",
        ("title", "ilike", text),
        ("summary", "ilike", text),
        ("body", "ilike", text),
    ]


def _code_domain(text):
    return [
        "|",
        "|",
        ("code", "ilike", text),
        ("title", "ilike", text),
        ("description", "ilike", text),
    ]


def run_ilike_query(env, question):
    Article = env["atelier.kb.article"]
    Dtc = env["atelier.dtc"]
    articles = Article.search(
        [("is_published", "=", True), *_article_domain(question)], limit=10
    )
    codes = Dtc.search(_code_domain(question), limit=10)
    keys = [a.slug for a in articles] + [c.code for c in codes]
    return keys[:10]


def run_ilike_words(env, question):
    Article = env["atelier.kb.article"]
    Dtc = env["atelier.dtc"]
    counts = {}
    for word in dict.fromkeys(w.lower() for w in WORD_RE.findall(question)):
        for article in Article.search(
            [("is_published", "=", True), *_article_domain(word)]
        ):
            counts[article.slug] = counts.get(article.slug, 0) + 1
        for dtc in Dtc.search(_code_domain(word)):
            counts[dtc.code] = counts.get(dtc.code, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [key for key, _count in ranked[:10]]


def score(questions, method, env):
    recall = hits = rr = 0.0
    misses = []
    began = time.perf_counter()
    for item in questions:
        keys = method(env, item["question"])
        expected = set(item["expected"])
        top5 = set(keys[:5])
        found = expected & top5
        recall += len(found) / len(expected)
        hits += 1 if found else 0
        rank = next((i for i, key in enumerate(keys[:10], 1) if key in expected), 0)
        rr += 1 / rank if rank else 0
        if len(found) < len(expected):
            misses.append((item, keys[:5]))
    count = len(questions)
    elapsed = (time.perf_counter() - began) * 1000 / count
    return recall / count, hits / count, rr / count, elapsed, misses


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="atelier_eval_kb")
    parser.add_argument("--obdex", help="import this OBDex folder first")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", action="store_true", help="reuse --db as it is")
    parser.add_argument("--misses", action="store_true", help="list search_kb misses")
    args = parser.parse_args()

    questions = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    if not args.reuse:
        create_db(args.db, args.obdex)
    sys.path.insert(0, ODOO_SRC)
    import odoo
    from odoo.modules.registry import Registry
    from odoo.sql_db import close_db
    from odoo.tools import config

    config.parse_config(config_args(args.db))
    registry = Registry(args.db)
    try:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "fr_FR"})
            if args.obdex and not args.reuse:
                import_obdex(env, args.obdex)
                cr.commit()
            cr.execute("ANALYZE atelier_kb_article")
            cr.execute("ANALYZE atelier_dtc")
            n_articles = env["atelier.kb.article"].search_count(
                [("is_published", "=", True)]
            )
            n_codes = env["atelier.dtc"].search_count([])
            expected = sum(len(q["expected"]) for q in questions)
            print(
                f"{len(questions)} questions, {expected} expected items; base: "
                f"{n_articles} published articles, {n_codes} trouble codes"
            )
            print(
                f"{'method':<16} {'recall@5':>9} {'hit@5':>7} {'MRR':>7} "
                f"{'ms/query':>9}"
            )
            results = {}
            for label, method in (
                ("search_kb", run_search_kb),
                ("ilike (query)", run_ilike_query),
                ("ilike (words)", run_ilike_words),
            ):
                recall, hits, mrr, ms, misses = score(questions, method, env)
                results[label] = misses
                print(f"{label:<16} {recall:>9.3f} {hits:>7.3f} {mrr:>7.3f} {ms:>9.1f}")
            recall = score(questions, run_search_kb, env)[0]
            target = "met" if recall >= 0.9 else "NOT met"
            print(f"target recall@5 >= 0.9 for search_kb: {target}")
            if args.misses:
                print("\nsearch_kb misses (expected -> first 5):")
                for item, keys in results["search_kb"]:
                    print(f"  {item['question']!r}: {item['expected']} -> {keys}")
    finally:
        Registry.delete(args.db)
        close_db(args.db)
        if not args.keep:
            subprocess.run(["dropdb", "--if-exists", args.db], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
