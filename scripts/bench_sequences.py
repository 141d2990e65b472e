#!/usr/bin/env python3
# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of atelier_crm: the sequence scheduler and the funnel dashboard.

1. N contacts (100,000 by default) with a lead and a granted consent,
   enrolled by the set-based rule in a 5-step e-mail sequence (J0..J4, open
   24/7); then the real scheduler (``atelier.crm.enrolment._atelier_run_batch``
   in batches, committed as the cron does) processes every step of every
   enrolment, day by day: steps processed per second and e-mails queued.
   In the same run, the naive way on a sample: one enrolment at a time with
   the ORM (search the log, ``mail.template.send_mail``, create the log,
   write the enrolment), rolled back.
2. The funnel dashboard (``atelier.crm.funnel.report.atelier_dashboard``)
   over 200,000 leads (the N above plus filler leads with sources,
   campaigns, referral codes, funnel dates and stage history), as a sales
   manager, against a per-lead ORM loop computing the same totals.

Targets (issue #13): at least 2,000 steps/s; dashboard under 500 ms.

Usage: .venv/bin/python scripts/bench_sequences.py [--contacts N]
       [--leads 200000] [--naive 1000] [--db NAME] [--keep]
The database (default atelier_bench_crm) is created with atelier_crm if
missing and dropped at the end unless --keep.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta

from _bench_common import ODOO_SRC, config_args, db_exists, install_db

STEPS = 5
BATCH = 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--leads", type=int, default=200_000)
    parser.add_argument("--naive", type=int, default=1000)
    parser.add_argument("--db", default="atelier_bench_crm")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()

    if not db_exists(args.db):
        install_db(args.db, "atelier_crm")
    sys.path.insert(0, ODOO_SRC)
    import odoo  # noqa: PLC0415
    import odoo.sql_db  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import SQL, config  # noqa: PLC0415

    config.parse_config(config_args(args.db))
    registry = Registry(args.db)
    try:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            fixtures = make_fixtures(env, SQL, args.contacts)
            cr.commit()
            sequence = env["atelier.crm.sequence"].browse(fixtures["sequence"])

            print(
                f"enrolling {args.contacts:,} leads by rule (one INSERT) …", flush=True
            )
            start = time.perf_counter()
            sequence.rule_active = True
            enrolled = sequence._atelier_enrol_by_rule(now=fixtures["now"])
            sequence.rule_active = False
            cr.commit()
            print(
                f"  {enrolled:,} enrolled in {time.perf_counter() - start:.1f}s",
                flush=True,
            )

            naive = naive_loop(env, fixtures, args.naive)
            cr.rollback()

            print(
                f"scheduler: {enrolled:,} enrolments x {STEPS} steps, "
                f"batches of {BATCH} …",
                flush=True,
            )
            Enrolment = env["atelier.crm.enrolment"]
            processed = 0
            start = time.perf_counter()
            for day in range(STEPS):
                now = fixtures["now"] + timedelta(days=day, minutes=1)
                while True:
                    done = Enrolment._atelier_run_batch(limit=BATCH, now=now)
                    cr.commit()
                    env.invalidate_all()
                    if not done:
                        break
                    processed += done
            elapsed = time.perf_counter() - start
            cr.execute(
                SQL(
                    "SELECT count(*) FROM atelier_crm_enrolment_step "
                    "WHERE sequence_id = %s",
                    sequence.id,
                )
            )
            logs = cr.fetchone()[0]
            cr.execute(
                SQL(
                    "SELECT count(*) FROM mail_mail m JOIN mail_message g "
                    "ON g.id = m.mail_message_id WHERE g.model = 'crm.lead' "
                    "AND g.res_id = ANY(%s)",
                    fixtures["lead_ids"],
                )
            )
            queued = cr.fetchone()[0]
            cr.execute(
                SQL(
                    "SELECT count(*) FROM (SELECT enrolment_id, step_id FROM "
                    "atelier_crm_enrolment_step WHERE sequence_id = %s "
                    "GROUP BY 1, 2 HAVING count(*) > 1) d",
                    sequence.id,
                )
            )
            doubles = cr.fetchone()[0]

            print(f"filling the funnel up to {args.leads:,} leads …", flush=True)
            fill_funnel(env, SQL, fixtures, args.leads)
            cr.commit()
            dashboard = time_dashboard(env)
            loop = time_loop(env)

            speed = processed / elapsed
            naive_speed = naive["steps"] / naive["seconds"]
            print()
            load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
            print(f"machine: {os.cpu_count()} CPU, load average {load}")
            print(f"contacts enrolled: {enrolled:,}; steps per enrolment: {STEPS}")
            print(f"{'sequence steps':<44}{'steps':>10}{'seconds':>10}{'steps/s':>10}")
            print(
                f"{'atelier scheduler (set-based batches)':<44}{processed:>10,}"
                f"{elapsed:>10.1f}{processed / elapsed:>10,.0f}"
            )
            print(
                f"{'naive ORM loop, one enrolment at a time':<44}{naive['steps']:>10,}"
                f"{naive['seconds']:>10.1f}{naive['steps'] / naive['seconds']:>10,.0f}"
            )
            print(f"  speed-up x{speed / naive_speed:.1f}")
            print(
                f"  e-mails queued: {queued:,}; step logs: {logs:,}; "
                f"(enrolment, step) done twice: {doubles}"
            )
            target = "met" if processed / elapsed >= 2000 else "NOT met"
            print(f"  target (>= 2,000 steps/s): {target}")
            print()
            cr.execute(SQL("SELECT count(*) FROM crm_lead"))
            n_leads = cr.fetchone()[0]
            print(f"funnel dashboard over {n_leads:,} leads (sales manager)")
            print(f"{'method':<44}{'p50 ms':>10}{'max ms':>10}")
            print(
                f"{'atelier_dashboard (GROUPING SETS + SQL)':<44}"
                f"{dashboard['p50']:>10.0f}{dashboard['max']:>10.0f}"
            )
            print(f"{'per-lead ORM loop (totals only)':<44}{loop:>10.0f}{loop:>10.0f}")
            target = "met" if dashboard["p50"] < 500 else "NOT met"
            print(f"  target (< 500 ms): {target}")
    finally:
        registry.delete(args.db)
        odoo.sql_db.close_db(args.db)
        if not args.keep:
            subprocess.run(["dropdb", "--if-exists", args.db], check=False)


def make_fixtures(env, SQL, contacts):
    """Contacts, leads and consents at SQL level; a 5-step sequence."""
    cr = env.cr
    now = datetime(2027, 3, 1, 9, 0)
    calendar = env["resource.calendar"].create(
        {
            "name": "bench always open",
            "tz": "UTC",
            "attendance_ids": [
                (
                    0,
                    0,
                    {
                        "name": f"d{d}",
                        "dayofweek": str(d),
                        "hour_from": 0,
                        "hour_to": 24,
                        "day_period": "morning",
                    },
                )
                for d in range(7)
            ],
        }
    )
    source = env["utm.source"].create({"name": "bench source"})
    template = env.ref("atelier_crm.mail_template_academy_j0")
    sequence = env["atelier.crm.sequence"].create(
        {
            "name": "bench sequence",
            "resource_calendar_id": calendar.id,
            "rule_source_ids": [(6, 0, source.ids)],
            "rule_max_age_days": 0,
            "step_ids": [
                (
                    0,
                    0,
                    {
                        "name": f"bench J{day}",
                        "day_offset": day,
                        "mail_template_id": template.id,
                    },
                )
                for day in range(STEPS)
            ],
        }
    )
    company = env.company.id
    print(f"inserting {contacts:,} contacts, leads and consents …", flush=True)
    start = time.perf_counter()
    for lo in range(0, contacts, 20_000):
        hi = min(lo + 20_000, contacts)
        cr.execute(
            SQL(
                """INSERT INTO res_partner (name, complete_name, email,
                       email_normalized,
                       active, type, is_company, company_id, lang, tz, ref,
                       create_date, write_date)
                   SELECT 'Bench ' || i, 'Bench ' || i, 'bench' || i || '@example.com',
                          'bench' || i || '@example.com', true, 'contact', false, %s,
                          'en_US', 'Europe/Paris', 'bench', now(), now()
                     FROM generate_series(%s, %s) i""",
                company,
                lo,
                hi - 1,
            )
        )
    cr.execute(
        SQL(
            """INSERT INTO crm_lead (name, type, active, partner_id, contact_name,
                   email_from, email_normalized, source_id, won_status, probability,
                   atelier_channel, atelier_funnel, atelier_score, company_id,
                   create_date, write_date)
               SELECT 'Bench lead ' || p.id, 'lead', true, p.id, p.name, p.email,
                      p.email_normalized, %s, 'pending', 10, 'lead_magnet', 'lead', 0,
                      %s, %s, %s
                 FROM res_partner p WHERE p.ref = 'bench'
            RETURNING id""",
            source.id,
            company,
            now,
            now,
        )
    )
    lead_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        SQL(
            """INSERT INTO atelier_crm_consent (email, purpose, action, channel, date,
                   create_date, write_date)
               SELECT email_normalized, 'sequence', 'granted', 'lead_magnet', %s,
                      now(), now()
                 FROM res_partner WHERE ref = 'bench'""",
            now - timedelta(days=1),
        )
    )
    cr.execute(
        SQL("ANALYZE res_partner; ANALYZE crm_lead; ANALYZE atelier_crm_consent")
    )
    print(f"  done in {time.perf_counter() - start:.1f}s", flush=True)
    return {
        "now": now,
        "sequence": sequence.id,
        "template": template.id,
        "source": source.id,
        "lead_ids": lead_ids,
        "company": company,
    }


def naive_loop(env, fixtures, count):
    """The plain ORM way, one enrolment at a time (rolled back afterwards)."""
    Enrolment = env["atelier.crm.enrolment"]
    Log = env["atelier.crm.enrolment.step"]
    enrolments = Enrolment.search(
        [("sequence_id", "=", fixtures["sequence"])], limit=count, order="id"
    )
    print(
        f"naive ORM loop on {len(enrolments):,} enrolments x {STEPS} steps …",
        flush=True,
    )
    start = time.perf_counter()
    steps = 0
    for enrolment in enrolments:
        for _day in range(STEPS):
            step = enrolment.next_step_id
            if not step:
                break
            if Log.search_count(
                [("enrolment_id", "=", enrolment.id), ("step_id", "=", step.id)]
            ):
                continue
            mail_id = step.mail_template_id.send_mail(enrolment.lead_id.id)
            Log.create(
                {
                    "enrolment_id": enrolment.id,
                    "step_id": step.id,
                    "sequence_id": enrolment.sequence_id.id,
                    "lead_id": enrolment.lead_id.id,
                    "state": "sent",
                    "sent": 1,
                    "mail_message_id": env["mail.mail"]
                    .browse(mail_id)
                    .mail_message_id.id,
                }
            )
            following = step._atelier_next()
            enrolment.write(
                {
                    "next_step_id": following.id or False,
                    "state": "active" if following else "done",
                }
            )
            steps += 1
    return {"steps": steps, "seconds": time.perf_counter() - start}


def fill_funnel(env, SQL, fixtures, total):
    """Filler leads up to ``total``: sources, campaigns, referral codes,
    funnel dates, won and lost ones, a stage history."""
    cr = env.cr
    cr.execute(SQL("SELECT count(*) FROM crm_lead"))
    have = cr.fetchone()[0]
    rng = random.Random(13)
    sources = [
        env["utm.source"].create({"name": f"bench source {i}"}).id for i in range(12)
    ]
    campaigns = [
        env["utm.campaign"]
        .create({"title": f"bench campaign {i}", "atelier_cost": 500.0 * (i + 1)})
        .id
        for i in range(8)
    ]
    team = env.ref("atelier_crm.crm_team_individuals")
    stages = env["crm.stage"].search([("team_ids", "in", team.ids)]).ids
    won_stage = env.ref("atelier_crm.crm_stage_individuals_won").id
    rows = []
    now = fixtures["now"]
    for i in range(max(total - have, 0)):
        created = now - timedelta(days=rng.randint(0, 360))
        level = rng.random()
        mql = created + timedelta(days=3) if level < 0.4 else None
        sql = created + timedelta(days=8) if level < 0.2 else None
        won = level < 0.08
        lost = 0.08 <= level < 0.15
        rows.append(
            (
                f"Filler {i}",
                rng.choice(sources),
                rng.choice(campaigns),
                f"REF-{rng.randint(1, 40)}" if rng.random() < 0.3 else None,
                created,
                mql,
                sql,
                "won" if won else ("lost" if lost else "pending"),
                not lost,
                won_stage if won else rng.choice(stages),
                team.id,
                created + timedelta(days=20) if won else None,
                890.0 if won else 0.0,
                "won"
                if won
                else (
                    "lost" if lost else ("sql" if sql else ("mql" if mql else "lead"))
                ),
            )
        )
    for lo in range(0, len(rows), 20_000):
        chunk = rows[lo : lo + 20_000]
        values = SQL(", ").join(
            SQL(
                "(%s, 'opportunity', %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
                "%s, "
                "'website_form', 10, %s, %s)",
                name,
                active,
                source,
                campaign,
                referral,
                created,
                mql,
                sql,
                status,
                stage,
                team_id,
                closed,
                revenue,
                funnel,
                fixtures["company"],
                created,
            )
            for (
                name,
                source,
                campaign,
                referral,
                created,
                mql,
                sql,
                status,
                active,
                stage,
                team_id,
                closed,
                revenue,
                funnel,
            ) in chunk
        )
        cr.execute(
            SQL(
                """INSERT INTO crm_lead (name, type, active, source_id, campaign_id,
                       atelier_referral_code, create_date, atelier_mql_date,
                       atelier_sql_date, won_status, stage_id, team_id, date_closed,
                       expected_revenue, atelier_funnel, atelier_channel, atelier_score,
                       company_id, write_date)
                   VALUES %s""",
                values,
            )
        )
    cr.execute(
        SQL(
            """INSERT INTO atelier_crm_stage_log (lead_id, stage_id, team_id, date_in,
                   date_out, days, create_date, write_date)
               SELECT id, stage_id, team_id, create_date,
                      CASE WHEN id %% 3 = 0 THEN NULL
                           ELSE create_date + interval '4 days' END,
                      CASE WHEN id %% 3 = 0 THEN NULL ELSE 4.0 END, now(), now()
                 FROM crm_lead WHERE stage_id IS NOT NULL AND name LIKE 'Filler %%'"""
        )
    )
    cr.execute(SQL("ANALYZE crm_lead; ANALYZE atelier_crm_stage_log"))


def time_dashboard(env, runs=7):
    manager = env["res.users"].create(
        {
            "name": "Bench manager",
            "login": "bench_manager",
            "group_ids": [(6, 0, [env.ref("sales_team.group_sale_manager").id])],
        }
    )
    Report = env["atelier.crm.funnel.report"].with_user(manager)
    Report.atelier_dashboard()  # warm-up: registry caches, query plans
    timings = []
    for _run in range(runs):
        env.invalidate_all()
        start = time.perf_counter()
        data = Report.atelier_dashboard()
        timings.append((time.perf_counter() - start) * 1000)
    assert data["totals"]["lead_count"] > 0
    return {"p50": statistics.median(timings), "max": max(timings)}


def time_loop(env):
    """Totals per level with a per-lead ORM loop (what a naive report does)."""
    env.invalidate_all()
    start = time.perf_counter()
    totals = {"lead": 0, "mql": 0, "sql": 0, "won": 0}
    leads = (
        env["crm.lead"]
        .with_context(active_test=False)
        .search_read(
            ["|", ("active", "=", True), ("won_status", "=", "lost")],
            ["atelier_mql_date", "atelier_sql_date", "won_status"],
        )
    )
    for lead in leads:
        totals["lead"] += 1
        won = lead["won_status"] == "won"
        totals["mql"] += bool(
            lead["atelier_mql_date"] or lead["atelier_sql_date"] or won
        )
        totals["sql"] += bool(lead["atelier_sql_date"] or won)
        totals["won"] += won
    return (time.perf_counter() - start) * 1000


if __name__ == "__main__":
    main()
