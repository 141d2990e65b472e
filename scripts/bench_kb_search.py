#!/usr/bin/env python3
"""Knowledge-base search benchmark: 100,000 articles and trouble codes.

Creates a throw-away database with atelier_knowledge (default
atelier_bench_kb), generates 90,000 articles and 10,000 trouble codes from
the French demo content (sections, sentences and titles of the real articles
and code pages recombined at random, so the words are distributed as in real
French text: "moteur" is everywhere, "lambda" is not), with their passages,
links between articles and codes, and the search vocabulary. Then it times,
in the same run and on the same database:

- ``search_kb``: ``atelier.kb.search.search_kb(query, limit=10)``, the whole
  call (ranking, snippets, passages);
- ``ilike``: Odoo's search box, the query ``ilike`` on the title, summary and
  body of the published articles and on the code, title and description of
  the codes (``search(..., limit=10)`` on both models).

The queries are the questions of scripts/eval_kb_questions.yaml (as users
ask them), trouble codes and code prefixes. ``search_kb`` runs ``--rounds``
times over the whole list (round robin, after a warm-up round); the figures
are the p50/p95 of each query's median time, then of every single call. The
machine is shared: its load average is printed before and after. Prints the
speed-up against ``ilike``. Figures, not a test: exit status 0 (1 if the
base is incomplete).

Usage: .venv/bin/python scripts/bench_kb_search.py [--articles 90000]
       [--codes 10000] [--ilike-queries 40] [--keep] [--reuse]
"""

import argparse
import os
import pathlib
import random
import re
import statistics
import subprocess
import sys
import time

import yaml
from _bench_common import ODOO_SRC, config_args, db_exists, install_db

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEMO = ROOT / "addons" / "atelier_knowledge" / "demo"
QUESTIONS = ROOT / "scripts" / "eval_kb_questions.yaml"
BATCH = 2000
SENTENCE_RE = re.compile(r"(?<=[.!?])\s+")


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(share * (len(values) - 1))))]


class Corpus:
    """Pieces of the French demo content to recombine."""

    def __init__(self, rng):
        from odoo.addons.atelier_knowledge.tools.text import markdown_to_html

        self.rng = rng
        articles = yaml.safe_load((DEMO / "kb_articles.yaml").read_text())
        codes = yaml.safe_load((DEMO / "kb_codes.yaml").read_text())
        self.titles = [a["title"] for a in articles]
        self.summaries = [a["summary"] for a in articles]
        self.sections = []  # (heading, markdown)
        for article in articles:
            parts = re.split(r"^## ", article["body"], flags=re.M)
            for part in parts[1:]:
                heading, _sep, text = part.partition("\n")
                self.sections.append((heading.strip(), text.strip()))
        self.markdown_to_html = markdown_to_html
        self.code_titles = [c["title"] for c in codes]
        self.descriptions = [c["description"] for c in codes]
        self.symptoms = [s for c in codes for s in c["symptoms"]]
        self.causes = [s for c in codes for s in c["causes"]]
        self.checks = [s for c in codes for s in c["checks"]]
        self.sentences = [
            s
            for text in self.descriptions + self.summaries
            for s in SENTENCE_RE.split(text)
        ]

    def article(self, index):
        rng = self.rng
        title = (
            f"{rng.choice(self.titles)} ({rng.choice(self.sentences)[:40].rstrip()})"
        )
        sections = rng.sample(self.sections, rng.randint(2, 5))
        body = "\n\n".join(f"## {heading}\n{text}" for heading, text in sections)
        return {
            "title": title[:200],
            "slug": f"bench-{index}",
            "summary": rng.choice(self.summaries),
            "body": self.markdown_to_html(body),
            "kind": rng.choice(("explication", "procedure", "checklist")),
        }

    def code(self):
        rng = self.rng
        return {
            "title": rng.choice(self.code_titles),
            "description": " ".join(rng.sample(self.sentences, 2)),
            "symptoms": "\n".join(rng.sample(self.symptoms, 3)),
            "likely_causes": "\n".join(rng.sample(self.causes, 4)),
            "checks": "\n".join(rng.sample(self.checks, 5)),
            "severity": rng.choice(("low", "medium", "high", "critical")),
        }


def generate(env, n_articles, n_codes, seed=42):
    from psycopg2.extras import Json, execute_values

    from odoo.addons.atelier_knowledge.tools import search_sql
    from odoo.addons.atelier_knowledge.tools.text import html_passages, html_to_text

    rng = random.Random(seed)
    corpus = Corpus(rng)
    cr = env.cr
    uid = env.uid
    categories = env["atelier.kb.category"].search([]).ids

    began = time.perf_counter()
    cr.execute("SELECT code FROM atelier_dtc")
    taken = {row[0] for row in cr.fetchall()}
    codes = set()
    while len(codes) < n_codes:
        code = f"{rng.choice('PCBU')}{rng.randint(0, 3)}{rng.randrange(4096):03X}"
        if code not in taken:
            codes.add(code)
    rows = []
    for code in sorted(codes):
        vals = corpus.code()
        rows.append(
            (
                code,
                code[0],
                "generic" if code[1] in "02" else "manufacturer",
                *(
                    Json({"en_US": vals[f], "fr_FR": vals[f]})
                    for f in ("title", "description", "symptoms", "likely_causes")
                ),
                vals["checks"],
                vals["severity"],
                "bench",
                uid,
                uid,
            )
        )
    for start in range(0, len(rows), BATCH):
        execute_values(
            cr._obj,
            """
            INSERT INTO atelier_dtc (code, system, scope, title, description,
                symptoms, likely_causes, checks, severity, source, active,
                create_uid, write_uid, create_date, write_date)
            VALUES %s
            """,
            rows[start : start + BATCH],
            template="(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, TRUE, %s, %s,"
            " now() at time zone 'UTC', now() at time zone 'UTC')",
        )
    cr.execute("SELECT id, code FROM atelier_dtc")
    all_codes = cr.fetchall()
    print(f"  {n_codes:,} codes in {time.perf_counter() - began:.1f}s", flush=True)

    began = time.perf_counter()
    for start in range(0, n_articles, BATCH):
        articles, links = [], []
        for index in range(start, min(start + BATCH, n_articles)):
            vals = corpus.article(index)
            linked = rng.sample(all_codes, rng.choice((0, 0, 1, 2, 3)))
            articles.append(
                (
                    vals["title"],
                    vals["slug"],
                    vals["summary"],
                    vals["body"],
                    html_to_text(vals["body"]),
                    rng.choice(categories),
                    vals["kind"],
                    " ".join(sorted(code for _id, code in linked)) or None,
                    uid,
                    uid,
                )
            )
            links.append(linked)
        ids = execute_values(
            cr._obj,
            """
            INSERT INTO atelier_kb_article (title, slug, summary, body, body_text,
                category_id, kind, code_list, lang, is_published, active,
                create_uid, write_uid, create_date, write_date)
            VALUES %s RETURNING id
            """,
            articles,
            template="(%s, %s, %s, %s, %s, %s, %s, %s, 'fr_FR', TRUE, TRUE, %s, %s,"
            " now() at time zone 'UTC', now() at time zone 'UTC')",
            fetch=True,
        )
        passages, rel = [], []
        for (article_id,), row, linked in zip(ids, articles, links, strict=True):
            sections = [("", row[2]), *html_passages(row[3])]
            passages += [
                (article_id, sequence, heading or None, text)
                for sequence, (heading, text) in enumerate(sections)
            ]
            rel += [(article_id, dtc_id) for dtc_id, _code in linked]
        execute_values(
            cr._obj,
            "INSERT INTO atelier_kb_passage (article_id, sequence, heading, text,"
            " lang) VALUES %s",
            passages,
            template="(%s, %s, %s, %s, 'fr_FR')",
        )
        if rel:
            execute_values(
                cr._obj,
                "INSERT INTO atelier_kb_article_dtc_rel (article_id, dtc_id) VALUES %s",
                rel,
            )
        cr.commit()
        done = start + len(articles)
        if done % 10000 == 0 or done == n_articles:
            elapsed = time.perf_counter() - began
            print(f"  {done:,} articles in {elapsed:.0f}s", flush=True)
    began = time.perf_counter()
    search_sql.refresh_lexemes(cr)
    cr.commit()
    # what autovacuum does on a live database: statistics, GIN pending lists
    old_autocommit = cr._cnx.autocommit
    cr._cnx.autocommit = True
    for table in ("atelier_kb_article", "atelier_kb_passage", "atelier_dtc"):
        cr._obj.execute(f"VACUUM ANALYZE {table}")  # noqa: S608 - constant names
    cr._cnx.autocommit = old_autocommit
    print(f"  vocabulary and statistics in {time.perf_counter() - began:.1f}s")


def queries(rng):
    questions = [q["question"] for q in yaml.safe_load(QUESTIONS.read_text())]
    codes = ["P0301", "P0420", "p0171", "U0100", "P0A80", "C0035"]
    prefixes = ["P03", "P01", "code P04", "U01"]
    return questions + codes + prefixes


def schedstat(pid):
    """``(on-CPU ns, waiting-for-a-CPU ns)`` of a process, from the kernel."""
    with open(f"/proc/{pid}/schedstat") as handle:
        run, wait, _slices = (int(x) for x in handle.read().split())
    return run, wait


def time_calls(func, items, backend=None):
    """Wall times (ms) of ``func(item)``; with ``backend`` (the PostgreSQL
    backend's pid), also the CPU time of this process plus the backend's, and
    the time both waited for a CPU (the share of the wall time that other
    processes of a busy machine cost)."""
    timings, cpu, waited = [], [], []
    for item in items:
        if backend:
            own, db = schedstat("self"), schedstat(backend)
        began = time.perf_counter()
        func(item)
        timings.append((time.perf_counter() - began) * 1000)
        if backend:
            own2, db2 = schedstat("self"), schedstat(backend)
            cpu.append((own2[0] - own[0] + db2[0] - db[0]) / 1e6)
            waited.append((own2[1] - own[1] + db2[1] - db[1]) / 1e6)
    return (timings, cpu, waited) if backend else timings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="atelier_bench_kb")
    parser.add_argument("--articles", type=int, default=90_000)
    parser.add_argument("--codes", type=int, default=10_000)
    parser.add_argument("--ilike-queries", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database")
    args = parser.parse_args()

    if not (args.reuse and db_exists(args.db)):
        subprocess.run(["dropdb", "--if-exists", args.db], check=True)
        install_db(args.db, "atelier_knowledge")
        fresh = True
    else:
        fresh = False
    sys.path.insert(0, ODOO_SRC)
    import odoo
    from odoo.modules.registry import Registry
    from odoo.sql_db import close_db
    from odoo.tools import config

    config.parse_config(config_args(args.db))
    registry = Registry(args.db)
    status = 0
    try:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            if fresh:
                print(
                    f"generating {args.articles:,} articles and {args.codes:,} codes …",
                    flush=True,
                )
                generate(env, args.articles, args.codes)
            cr.execute(
                "SELECT (SELECT count(*) FROM atelier_kb_article WHERE is_published),"
                " (SELECT count(*) FROM atelier_dtc),"
                " (SELECT count(*) FROM atelier_kb_passage),"
                " (SELECT count(*) FROM atelier_kb_lexeme),"
                " pg_size_pretty(pg_total_relation_size('atelier_kb_article'))"
            )
            n_articles, n_codes, n_passages, n_words, size = cr.fetchone()
            print(
                f"base: {n_articles:,} published articles, {n_codes:,} codes "
                f"({n_articles + n_codes:,} documents), {n_passages:,} passages, "
                f"{n_words:,} words in the vocabulary; articles table {size}"
            )
            if n_articles + n_codes < 0.99 * (args.articles + args.codes):
                status = 1
            rng = random.Random(7)
            items = queries(rng)
            Search = env["atelier.kb.search"]
            Article = env["atelier.kb.article"]
            Dtc = env["atelier.dtc"]

            def search_kb(query):
                return Search.search_kb(query, limit=10)

            def ilike(query):
                articles = Article.search(
                    [
                        ("is_published", "=", True),
                        "|",
                        "|",
                        ("title", "ilike", query),
                        ("summary", "ilike", query),
                        ("body", "ilike", query),
                    ],
                    limit=10,
                )
                codes = Dtc.search(
                    [
                        "|",
                        "|",
                        ("code", "ilike", query),
                        ("title", "ilike", query),
                        ("description", "ilike", query),
                    ],
                    limit=10,
                )
                return articles.mapped("title") + codes.mapped("code")

            cr.execute("SELECT pg_backend_pid()")
            backend = cr.fetchone()[0]
            load_before = os.getloadavg()
            time_calls(search_kb, items)  # warm-up: caches, dictionaries
            rounds = [
                time_calls(search_kb, items, backend) for _round in range(args.rounds)
            ]
            walls = [wall for wall, _cpu, _wait in rounds]
            medians = [statistics.median(calls) for calls in zip(*walls, strict=True)]
            every = [ms for calls in walls for ms in calls]
            cpus = [
                statistics.median(calls)
                for calls in zip(*(cpu for _w, cpu, _wait in rounds), strict=True)
            ]
            waits = [ms for _w, _cpu, wait in rounds for ms in wait]
            sample = rng.sample(items, min(args.ilike_queries, len(items)))
            plain, plain_cpu, _plain_wait = time_calls(ilike, sample, backend)
            load_after = os.getloadavg()
            found = sum(bool(search_kb(q)["results"]) for q in items)
            print(
                f"{len(items)} queries ({len(items) - 10} user questions, 6 codes, "
                f"4 prefixes), {args.rounds} rounds; ilike on {len(sample)} of them; "
                f"search_kb answered {found}/{len(items)}"
            )
            print(
                "load average (1, 5, 15 min) before: "
                + ", ".join(f"{x:.2f}" for x in load_before)
                + "; after: "
                + ", ".join(f"{x:.2f}" for x in load_after)
            )
            print(
                f"search_kb waited for a CPU {sum(waits) / sum(every):.0%} of its "
                "wall time (other processes of the machine)"
            )
            print(f"{'method':<36} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}")
            rows = (
                ("search_kb (median of the rounds)", medians),
                ("search_kb (every call)", every),
                ("search_kb CPU (Python + PostgreSQL)", cpus),
                ("ilike (Odoo search box)", plain),
                ("ilike CPU (Python + PostgreSQL)", plain_cpu),
            )
            for label, values in rows:
                print(
                    f"{label:<36} {statistics.median(values):>9.2f} "
                    f"{percentile(values, 0.95):>9.2f} {max(values):>9.2f}"
                )
            p95 = percentile(medians, 0.95)
            speedup = percentile(plain, 0.95) / p95
            print(
                f"p95 speed-up x{speedup:,.0f} (median x"
                f"{statistics.median(plain) / statistics.median(medians):,.0f}); "
                f"target p95 < 10 ms and x20: wall time "
                f"{'met' if p95 < 10 and speedup >= 20 else 'NOT met'}, CPU time "
                f"{'met' if percentile(cpus, 0.95) < 10 else 'NOT met'}"
            )
            slow = sorted(zip(medians, items, strict=True), reverse=True)[:5]
            print("slowest:", "; ".join(f"{q[:40]!r} {ms:.1f} ms" for ms, q in slow))
    finally:
        Registry.delete(args.db)
        close_db(args.db)
        if not args.keep:
            subprocess.run(["dropdb", "--if-exists", args.db], check=False)
    return status


if __name__ == "__main__":
    sys.exit(main())
