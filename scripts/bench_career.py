#!/usr/bin/env python3
# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of atelier_career (figures, not a timed test).

1. server time to render a 2-page CV PDF, per template (target < 2 s),
   next to a plain Odoo QWeb PDF (Odoo's own module reference report, for
   atelier_career's models) rendered by the same wkhtmltopdf in the same run;
2. the ATS check's time on that PDF (pdftotext -layout + pypdf + the
   checks), next to a bare ``pdftotext -layout`` of the same PDF;
3. the persona's turn in Offline mode (record the answer, pick the next
   line, store it: ``action_answer``), target p95 < 100 ms, next to a plain
   Odoo ``message_post`` of the same text on the learner's partner.

Usage:
    .venv/bin/python scripts/bench_career.py [-d atelier_bench_career]
        [--port 8189] [--runs 10] [--turns 200]

The database is created with atelier_career (no demo). An Odoo server is
started on --port while the PDFs render: wkhtmltopdf fetches the report's
CSS from it, as in production. Everything the measures create is rolled
back.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _bench_common import ODOO_SRC, ROOT, config_args, db_exists, install_db  # noqa: E402

sys.path.insert(0, ODOO_SRC)

import odoo  # noqa: E402
from odoo import Command, api  # noqa: E402
from odoo.modules.registry import Registry  # noqa: E402
from odoo.tools import config  # noqa: E402

ANSWERS = [
    "J'ai lu les codes défaut, puis mesuré la tension au multimètre : 12 V à la "
    "batterie, donc j'ai cherché plus loin et trouvé un connecteur oxydé.",
    "Je ne sais pas trop.",
    "J'explique au client ce que j'ai mesuré, je lui montre la pièce et je propose "
    "un contrôle gratuit sous huit jours pour le rassurer.",
]


def pct(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def line(label, values):
    return (
        f"  {label:<52} median {statistics.median(values):8.1f} ms   "
        f"p95 {pct(values, 0.95):8.1f} ms   (n={len(values)})"
    )


def timed(func, runs):
    values = []
    for _run in range(runs):
        started = time.perf_counter()
        func()
        values.append((time.perf_counter() - started) * 1000)
    return values


def wait_http(url, timeout=180):
    import requests

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if requests.get(f"{url}/web/health", timeout=5).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise RuntimeError("Odoo did not start")


def cv_values(template):
    lines = [
        Command.create(
            {
                "section": "experience",
                "sequence": index,
                "title": f"Technicien diagnostic {index + 1}",
                "organization": f"Garage du Rhône {index + 1}",
                "location": "Villeurbanne",
                "date_start": f"{2005 + index}",
                "date_end": f"{2006 + index}",
                "description": "Diagnostic des pannes électriques et électroniques, "
                "fiabilisation des réparations, conseils aux clients.",
                "highlights": "Réduit les retours atelier de 30 %\n"
                "Formé deux apprentis",
            }
        )
        for index in range(14)
    ]
    lines += [
        Command.create(
            {"section": "education", "title": "Bac pro maintenance des véhicules"}
        ),
        Command.create(
            {"section": "skill", "title": "Diagnostic", "keywords": "OBD, oscilloscope"}
        ),
        Command.create({"section": "language", "title": "Anglais", "level": "B1"}),
    ]
    return {
        "name": f"Bench {template}",
        "template": template,
        "lang": "fr_FR",
        "full_name": "Karim Benali",
        "headline": "Technicien diagnostic",
        "email": "karim.benali@example.com",
        "profile": "Technicien automobile de confiance, efficace et qualifié.",
        "line_ids": lines,
    }


def bench(env, runs, turns):
    from odoo.addons.atelier_career.tools import ats

    env["res.lang"]._activate_lang("fr_FR")
    env["ir.module.module"]._load_module_terms(["atelier_career"], ["fr_FR"])
    env["ir.config_parameter"].set_param("atelier_ai.provider", "offline")
    learner = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": "Bench learner",
                "login": "bench_career_learner",
                "tz": "Europe/Paris",
                "group_ids": [Command.set(env.ref("base.group_portal").ids)],
            }
        )
    )
    env["atelier.career.subscription"].create(
        {
            "plan_id": env.ref("atelier_career.plan_pro").id,
            "holder": "learner",
            "user_id": learner.id,
        }
    )
    Cv = env["atelier.career.cv"].with_user(learner)

    print(f"\n1. a 2-page CV PDF, server time ({runs} runs each)")
    Report = env["ir.actions.report"]
    module = env["ir.module.module"].search([("name", "=", "atelier_career")])
    plain_pdf, _kind = Report._render_qweb_pdf(
        "base.ir_module_reference_print", module.ids
    )
    plain_pages = ats.check_pdf(plain_pdf, [], [], "")["pages"]
    plain = timed(
        lambda: Report._render_qweb_pdf("base.ir_module_reference_print", module.ids),
        runs,
    )
    pdfs = {}
    for template in ("classique", "moderne", "compact"):
        cv = Cv.create(cv_values(template))
        pdf = cv._render_pdf()
        pages = ats.check_pdf(pdf, [], [], "")["pages"]
        pdfs[template] = cv, pdf
        print(
            line(f"atelier CV, {template} ({pages} pages)", timed(cv._render_pdf, runs))
        )
    print(
        line(
            f"plain Odoo: module reference of atelier_career ({plain_pages} p.)", plain
        )
    )

    print(f"\n2. the ATS check on the 2-page PDF ({runs * 3} runs)")
    cv, pdf = pdfs["classique"]
    headings, order, content = cv._ats_expectations()
    result = ats.check_pdf(pdf, headings, order, content)
    assert result["passed"], result["checks"]
    check = timed(lambda: ats.check_pdf(pdf, headings, order, content), runs * 3)
    bare = timed(lambda: ats.extract_text(pdf), runs * 3)
    print(line("atelier ATS check (pdftotext + pypdf + checks)", check))
    print(line("bare pdftotext -layout of the same PDF", bare))

    print(f"\n3. the persona's turn in Offline mode ({turns} turns)")
    Session = env["atelier.career.session"].with_user(learner)
    chef = env.ref("atelier_career.persona_chef_atelier")
    values, session = [], None
    for index in range(turns):
        if not session or session.state == "done":
            session = Session._start(chef, 30, consent=True)
        answer = ANSWERS[index % len(ANSWERS)]
        started = time.perf_counter()
        session.action_answer(answer)
        values.append((time.perf_counter() - started) * 1000)
    partner = learner.partner_id
    post = timed(
        lambda: partner.message_post(body=ANSWERS[0], message_type="comment"), turns
    )
    print(line("atelier action_answer (answer + persona's line)", values))
    print(line("plain Odoo message_post of the same text", post))
    print(f"  target p95 < 100 ms: {'met' if pct(values, 0.95) < 100 else 'MISSED'}")
    pdf_p95 = max(pct(timed(pdfs[t][0]._render_pdf, 3), 0.95) for t in pdfs)
    print(
        f"  (check) 2-page CV PDF target < 2 s: {'met' if pdf_p95 < 2000 else 'MISSED'}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", default="atelier_bench_career")
    parser.add_argument("--port", type=int, default=8189)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--turns", type=int, default=200)
    args = parser.parse_args()
    if not db_exists(args.database):
        install_db(args.database, "atelier_career")
    config.parse_config(config_args(args.database))
    odoo.tools.config["workers"] = 0
    url = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            sys.executable,
            f"{ODOO_SRC}/odoo-bin",
            *config_args(args.database),
            "--http-port",
            str(args.port),
            "--max-cron-threads",
            "0",
            "--db-filter",
            f"^{args.database}$",
            "--log-level",
            "warn",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_http(url)
        registry = Registry(args.database)
        with registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            env["ir.config_parameter"].set_param("report.url", url)
            cr.commit()
            try:
                bench(env, args.runs, args.turns)
            finally:
                cr.rollback()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"\n(run from {ROOT})")


if __name__ == "__main__":
    main()
