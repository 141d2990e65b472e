#!/usr/bin/env python3
"""AI service benchmark: Alex offline, and the service's own overhead.

1. Alex's answer in Offline mode, server side: ``atelier.ai.alex._ask()``
   (knowledge-base search, relevance check, the quoted answer, citations,
   the usage log line) for French questions in and outside the knowledge
   base, against a plain-Odoo retrieval (``ilike`` on the articles' title
   and text, then reading them) in the same run. Target: p95 < 150 ms.
2. The service's overhead over a bare ``openai`` call to a local
   OpenAI-compatible test server: ``atelier.ai._complete()`` (feature and
   settings, budget, redaction, the request, the usage log line) against
   ``openai.OpenAI(...).chat.completions.create()`` with the same messages,
   interleaved. Target: < 5 ms.

Usage: .venv/bin/python scripts/bench_ai.py [--rounds N] [--db NAME] [--keep]
The database (default atelier_bench_ai) is created with atelier_knowledge_ai
and its demo content (the knowledge base's French articles) if missing, and
dropped at the end unless --keep.
"""

import argparse
import statistics
import subprocess
import sys
import time

from _bench_common import ODOO_SRC, config_args, db_exists

QUESTIONS_IN = [
    "Que veut dire le code P0301 ?",
    "P0420",
    "ma voiture broute à l'accélération",
    "voyant moteur qui clignote",
    "comment vérifier un défaut d'isolement haute tension",
    "ma batterie hybride est morte",
    "pourquoi ma voiture fume noir",
    "le moteur chauffe",
    "la clim ne fait plus de froid",
    "ma voiture électrique ne charge plus",
    "c'est quoi un FAP",
    "alumage qui rate",
    "bruit de frein quand je freine",
    "comment tester un injecteur diesel",
    "P03",
    "mélange trop pauvre prise d'air",
]
QUESTIONS_OUT = [
    "recette de la tarte aux pommes",
    "quel temps fait-il à Paris",
    "comment faire une mayonnaise",
    "qui a gagné la coupe du monde",
    "comment réparer mon lave-linge",
    "les impôts de 2025",
]
PROMPT = [
    {
        "role": "system",
        "content": "Tu es Alex, l'expert automobile. Réponds uniquement à partir "
        "des passages et cite-les.",
        "trusted": True,
    },
    {
        "role": "system",
        "content": "Passages :\n\n[1] P0301 — Ratés d'allumage cylindre 1 "
        "(/kb/code/P0301)\nLe calculateur compte des combustions manquées sur "
        "le cylindre 1. Causes possibles : bobine, bougie, injecteur.",
        "trusted": True,
    },
    {
        "role": "user",
        "content": "Bonjour, ma Clio fait des ratés et le voyant clignote, "
        "que veut dire P0301 ?",
    },
]


def percentile(values, pct):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def line(label, timings, extra=""):
    print(
        f"{label:46} {statistics.median(timings):8.2f} {percentile(timings, 95):9.2f}"
        f" {max(timings):9.2f}  {extra}"
    )


def create_db(db):
    print(
        f"creating database {db} with atelier_knowledge_ai and its demo …", flush=True
    )
    subprocess.run(
        [
            sys.executable,
            f"{ODOO_SRC}/odoo-bin",
            *config_args(db),
            "-i",
            "atelier_knowledge_ai",
            "--with-demo",
            "--load-language=fr_FR",
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
        ],
        check=True,
    )


def bench_alex(env, rounds):
    from odoo.fields import Domain

    Alex = env["atelier.ai.alex"].with_context(lang="fr_FR")
    env["ir.config_parameter"].set_param("atelier_ai.provider", "offline")
    Article = env["atelier.kb.article"].with_context(lang="fr_FR")

    def plain(question):
        # what plain Odoo offers: ilike on every word, then read the records
        words = [w for w in question.replace("'", " ").split() if len(w) > 3] or [
            question
        ]
        domain = Domain.OR(
            Domain("title", "ilike", w) | Domain("body_text", "ilike", w) for w in words
        )
        return Article.search_read(domain, ["title", "body_text", "slug"], limit=4)

    questions = QUESTIONS_IN + QUESTIONS_OUT
    for question in questions:  # warm-up: caches, plans
        Alex._ask(question)
        plain(question)
    timings = {"alex_in": [], "alex_out": [], "plain": []}
    answered = refused = 0
    for _round in range(rounds):
        for question in questions:
            env.invalidate_all()
            start = time.perf_counter()
            answer = Alex._ask(question)
            elapsed = (time.perf_counter() - start) * 1000
            key = "alex_in" if question in QUESTIONS_IN else "alex_out"
            timings[key].append(elapsed)
            if _round == 0:
                if answer["unknown"]:
                    refused += 1
                else:
                    answered += 1
            env.invalidate_all()
            start = time.perf_counter()
            plain(question)
            timings["plain"].append((time.perf_counter() - start) * 1000)
    print(
        f"\n1. Alex, Offline, server side: {len(questions)} questions x {rounds} rounds"
        f" ({answered} answered with sources, {refused} 'je ne sais pas'; in the base:"
        f" {len(QUESTIONS_IN)}, outside: {len(QUESTIONS_OUT)})"
    )
    print(f"{'':46} {'p50 ms':>8} {'p95 ms':>9} {'max ms':>9}")
    both = timings["alex_in"] + timings["alex_out"]
    line("Alex offline answer (all questions)", both)
    line("  questions in the base", timings["alex_in"])
    line("  questions outside the base", timings["alex_out"])
    line("plain Odoo: ilike on articles + read", timings["plain"], "(no answer)")
    met = percentile(both, 95) < 150
    print(f"target (p95 < 150 ms): {'met' if met else 'NOT met'}")


def bench_overhead(env, rounds):
    import openai

    from odoo.addons.atelier_ai.tests.llm_server import LlmServer, Reply
    from odoo.addons.atelier_ai.tools import llm_client

    with LlmServer(default=Reply("Des ratés d'allumage sur le cylindre 1 [1].")) as srv:
        Param = env["ir.config_parameter"]
        for key, value in {
            "atelier_ai.provider": "openai",
            "atelier_ai.base_url": srv.url,
            "atelier_ai.model": "test-model",
            "atelier_ai.api_key": "sk-bench",
            "atelier_ai.budget": "100",  # the budget query is part of a call
            "atelier_ai.price_in": "0.15",
            "atelier_ai.price_out": "0.6",
        }.items():
            Param.set_param(key, value)
        Ai = env["atelier.ai"]
        bare = openai.OpenAI(api_key="sk-bench", base_url=srv.url, max_retries=0)
        messages = [{"role": m["role"], "content": m["content"]} for m in PROMPT]

        def call_bare():
            completion = bare.chat.completions.create(
                model="test-model", messages=messages, timeout=20
            )
            return completion.choices[0].message.content

        def call_service():
            return Ai._complete("alex", PROMPT, fallback="").text

        # the service's own time in each call: the whole call less the time
        # spent in the openai request (measured around the client call)
        wire = []
        real_complete = llm_client.complete

        def timed_complete(*args, **kwargs):
            start = time.perf_counter()
            try:
                return real_complete(*args, **kwargs)
            finally:
                wire.append((time.perf_counter() - start) * 1000)

        llm_client.complete = timed_complete
        try:
            for _i in range(30):  # warm-up: connections, caches
                call_bare()
                call_service()
            bare_t, service_t, own_t = [], [], []
            for _i in range(rounds):
                start = time.perf_counter()
                call_bare()
                bare_t.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                answer = call_service()
                service_t.append((time.perf_counter() - start) * 1000)
                own_t.append(service_t[-1] - wire[-1])
        finally:
            llm_client.complete = real_complete
        assert answer.startswith("Des ratés"), answer
        assert srv.violations == [], srv.violations
        overhead = statistics.median(own_t)
        print(
            f"\n2. The service over a bare openai call, local test server, {rounds}"
            " calls each (interleaved)"
        )
        print(f"{'':46} {'p50 ms':>8} {'p95 ms':>9} {'max ms':>9}")
        line("bare openai.chat.completions.create", bare_t)
        line("atelier.ai._complete (redaction, budget, log)", service_t)
        line("  of which the service's own time", own_t, "(call less its request)")
        diff = statistics.median(service_t) - statistics.median(bare_t)
        print(
            f"overhead: {overhead:.2f} ms at p50 (own time), {diff:.2f} ms"
            " (difference of the p50s)"
        )
        print(f"target (< 5 ms): {'met' if overhead < 5 else 'NOT met'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="Alex rounds")
    parser.add_argument("--calls", type=int, default=500, help="overhead calls")
    parser.add_argument("--db", default="atelier_bench_ai")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()

    created = False
    if not db_exists(args.db):
        create_db(args.db)
        created = True
    sys.path.insert(0, ODOO_SRC)
    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(config_args(args.db))
    registry = Registry(args.db)
    try:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            env["atelier.kb.search"]._kb_refresh_vocabulary()
            cr.execute("ANALYZE")
            articles = env["atelier.kb.article"].search_count([])
            codes = env["atelier.dtc"].search_count([])
            print(f"knowledge base: {articles} articles, {codes} trouble codes")
            bench_alex(env, args.rounds)
            bench_overhead(env, args.calls)
            cr.rollback()  # the usage lines and settings of the run
    finally:
        odoo.sql_db.close_db(args.db)
        if created and not args.keep:
            subprocess.run(["dropdb", args.db], check=False)


if __name__ == "__main__":
    main()
