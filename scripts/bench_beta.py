#!/usr/bin/env python3
# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of atelier_beta: the batch draw and the KPI dashboard.

The data: N sign-ups (100,000 by default) written in bulk with SQL: 70 %
waiting (some with referral credits), 10 % never confirmed or erased,
20 % in ten sent batches (accepted, most activated, with days of use over
seven weeks), plus referrals, feedback with votes and NPS answers.

1. Rank the waiting list and draw a batch of 1,000 with quotas on the
   three dimensions (``atelier.beta.batch._atelier_draw``: the queue read
   in rank order along an index, page by page, walked until the batch is
   full), against the plain ORM loop
   (``_atelier_draw_naive``: read every waiting sign-up, sort in Python,
   walk, create one invitation per person) in the same run, same data;
   both must draw the same people.
2. The KPI dashboard (``atelier.beta.dashboard.atelier_dashboard``) as a
   beta manager, against a per-record ORM loop computing the same main
   figures (the figures are compared).

Targets (issue #14): draw under 2 s; dashboard under 500 ms.

Usage: .venv/bin/python scripts/bench_beta.py [--signups N] [--db NAME] [--keep]
The database (default atelier_bench_beta) is created with atelier_beta if
missing; the fixtures are committed once, every timed run is rolled back;
the database is dropped at the end unless --keep.
"""

import argparse
import statistics
import subprocess
import sys
import time
from datetime import timedelta

from _bench_common import ODOO_SRC, config_args, db_exists, install_db

FUELS = ["petrol", "diesel", "hybrid", "electric", "lpg", "flexfuel"]
REGIONS = [
    "ara",
    "idf",
    "bre",
    "pac",
    "occ",
    "naq",
    "hdf",
    "ges",
    "pdl",
    "nor",
    "bfc",
    "cvl",
]
PROFILES = ["enthusiast", "pragmatic", "young_driver", "garage"]
QUOTAS = [
    ("fuel_type", "fuel_type", "diesel", 350),
    ("fuel_type", "fuel_type", "petrol", 300),
    ("fuel_type", "fuel_type", "hybrid", 150),
    ("fuel_type", "fuel_type", "electric", 120),
    ("fuel_type", "fuel_type", "lpg", 50),
    ("fuel_type", "fuel_type", "flexfuel", 30),
    ("region", "region", "idf", 180),
    ("region", "region", "ara", 150),
    ("region", "region", "pac", 100),
    ("region", "region", "bre", 60),
    ("profile", "profile", "garage", 100),
    ("profile", "profile", "young_driver", 200),
]


_SIGNUPS = """
INSERT INTO atelier_beta_signup
    (name, email, email_key, state, fuel_type, region, profile, vehicle_make,
     vehicle_year, queue_number, rank_score, referral_credits, referral_code,
     confirmed_at, signup_ip, device_id, origin, create_date, write_date,
     create_uid, write_uid)
SELECT 'Bench ' || g, 'bench' || g || '@example.com',
       'bench' || g || '@example.com',
       CASE WHEN g %% 10 = 0 THEN 'pending'
            WHEN g %% 20 = 1 THEN 'expired'
            WHEN g %% 10 = 1 THEN 'erased'
            WHEN g %% 10 IN (2, 3) THEN 'tester'
            ELSE 'waiting' END,
       (%(fuels)s::varchar[])[1 + (floor(power(random(), 1.6) * 6))::int],
       (%(regions)s::varchar[])[1 + (floor(power(random(), 1.8) * 12))::int],
       (%(profiles)s::varchar[])[1 + (floor(random() * 4))::int],
       'Renault', 2010 + g %% 14,
       CASE WHEN g %% 10 = 0 THEN NULL ELSE g END,
       NULL,
       CASE WHEN g %% 10 > 3 AND random() < 0.05
            THEN (1 + floor(random() * 4))::int ELSE 0 END,
       CASE WHEN g %% 10 = 0 THEN NULL ELSE 'B' || lpad(to_hex(g), 7, '0') END,
       CASE WHEN g %% 10 = 0 THEN NULL
            ELSE now() at time zone 'UTC'
                 - make_interval(days => (120 - (g * 100 / %(n)s)::int)) END,
       '10.' || (g %% 250) || '.' || (g / 250 %% 250) || '.1',
       md5(g::text)::uuid::text,
       CASE WHEN g %% 7 = 0 THEN 'referral' WHEN g %% 5 = 0 THEN 'campaign'
            ELSE 'direct' END,
       now() at time zone 'UTC' - make_interval(days => (120 - (g * 100 / %(n)s)::int)),
       now() at time zone 'UTC', 1, 1
  FROM generate_series(1, %(n)s) g

"""
_INVITATIONS = """
WITH t AS (
    SELECT id, row_number() OVER (ORDER BY id) AS k FROM atelier_beta_signup
     WHERE state = 'tester'
)
INSERT INTO atelier_beta_invitation
    (signup_id, batch_id, state, sent_at, expires_at, accepted_at,
     create_date, write_date, create_uid, write_uid)
SELECT t.id, (%(batches)s::int[])[1 + t.k %% 10], 'accepted',
       now() at time zone 'UTC' - make_interval(days => (70 - (t.k %% 10) * 5)::int),
       now() at time zone 'UTC' - make_interval(days => (63 - (t.k %% 10) * 5)::int),
       now() at time zone 'UTC' - make_interval(days => (69 - (t.k %% 10) * 5)::int),
       now() at time zone 'UTC', now() at time zone 'UTC', 1, 1
  FROM t

"""
_TESTERS = """
UPDATE atelier_beta_signup s
   SET batch_id = i.batch_id, accepted_at = i.accepted_at, invited_at = i.sent_at,
       activated_at = CASE WHEN s.id %% 5 <> 0 THEN i.accepted_at + interval '1 day' END
  FROM atelier_beta_invitation i
 WHERE i.signup_id = s.id

"""
_ACTIVITY = """
INSERT INTO atelier_beta_activity (signup_id, day)
SELECT s.id, (s.activated_at AT TIME ZONE 'UTC' AT TIME ZONE 'Europe/Paris')::date + d
  FROM atelier_beta_signup s
  CROSS JOIN generate_series(0, 60) d
 WHERE s.activated_at IS NOT NULL
   AND (d = 0 OR random() < 0.25 * exp(-d / 30.0))
   AND (s.activated_at AT TIME ZONE 'UTC' AT TIME ZONE 'Europe/Paris')::date + d
       <= (now() AT TIME ZONE 'Europe/Paris')::date
ON CONFLICT DO NOTHING

"""
_REFERRALS = """
INSERT INTO atelier_beta_referral
    (referrer_id, referred_id, state, same_ip,
     create_date, write_date, create_uid, write_uid)
SELECT r.id, s.id,
       (ARRAY['pending', 'credited', 'credited', 'rejected', 'review'])[1 + s.id %% 5],
       s.id %% 5 = 4, now() at time zone 'UTC', now() at time zone 'UTC', 1, 1
  FROM atelier_beta_signup s
  JOIN atelier_beta_signup r ON r.id = s.id - 3
 WHERE s.origin = 'referral'

"""
_FEEDBACK = """
INSERT INTO atelier_beta_feedback
    (name, kind, description, author_id, state, vote_count,
     create_date, write_date, create_uid, write_uid)
SELECT 'Retour ' || s.id, (ARRAY['bug', 'idea', 'praise'])[1 + s.id %% 3], 'Texte',
       s.id, (ARRAY['new', 'accepted', 'declined', 'new'])[1 + s.id %% 4], 0,
       s.activated_at + interval '3 days', now() at time zone 'UTC', 1, 1
  FROM atelier_beta_signup s
 WHERE s.activated_at IS NOT NULL AND s.id %% 3 = 0

"""
_NPS = """
INSERT INTO atelier_beta_nps
    (signup_id, period, batch_id, profile, fuel_type, origin, score, category,
     sent_at, answered_at, create_date, write_date, create_uid, write_uid)
SELECT s.id, 'd14', s.batch_id, s.profile, s.fuel_type, s.origin, sc.score,
       CASE WHEN sc.score >= 9 THEN 'promoter' WHEN sc.score >= 7 THEN 'passive'
            ELSE 'detractor' END,
       s.activated_at + interval '14 days', s.activated_at + interval '15 days',
       now() at time zone 'UTC', now() at time zone 'UTC', 1, 1
  FROM atelier_beta_signup s
 CROSS JOIN LATERAL (SELECT (s.id * 7) %% 11 AS score) sc
 WHERE s.activated_at IS NOT NULL AND s.id %% 2 = 0

"""


def make_fixtures(env, SQL, n):
    cr = env.cr
    print(f"writing {n:,} sign-ups and their beta records (SQL) …", flush=True)
    start = time.perf_counter()
    cr.execute(SQL("SELECT count(*) FROM atelier_beta_signup"))
    if cr.fetchone()[0] >= n:
        print("  already there", flush=True)
        return
    batches = env["atelier.beta.batch"].create(
        [
            {"name": f"Bench wave {i + 1}", "size": n // 50, "state": "sent"}
            for i in range(10)
        ]
    )
    env.flush_all()
    # skewed picks: diesel/petrol and idf/ara more frequent, like the real queue
    cr.execute(SQL(_SIGNUPS, n=n, fuels=FUELS, regions=REGIONS, profiles=PROFILES))
    env["atelier.beta.signup"]._atelier_rerank()
    # testers: invited in one of the ten batches, 80 % activated, days of use
    cr.execute(
        SQL(
            _INVITATIONS,
            batches=batches.ids,
        )
    )
    cr.execute(SQL(_TESTERS))
    cr.execute(SQL(_ACTIVITY))
    # referrals, feedback, votes, NPS
    cr.execute(SQL(_REFERRALS))
    cr.execute(SQL(_FEEDBACK))
    cr.execute(SQL(_NPS))
    env.invalidate_all()
    cr.execute(SQL("ANALYZE"))
    print(f"  done in {time.perf_counter() - start:.1f}s", flush=True)


def timed(func, runs):
    values = []
    result = None
    for _i in range(runs):
        start = time.perf_counter()
        result = func()
        values.append((time.perf_counter() - start) * 1000)
    return result, statistics.median(values), values


def naive_dashboard(env, today, retention):
    """The main figures, the plain ORM way: read every record, count in
    Python."""
    Signup = env["atelier.beta.signup"]
    signups = Signup.search([])
    funnel = {
        "signups": len(signups),
        "confirmed": len(signups.filtered("confirmed_at")),
        "waiting": len(signups.filtered(lambda s: s.state == "waiting")),
        "activated": len(signups.filtered("activated_at")),
    }
    Activity = env["atelier.beta.activity"]
    days_by_signup = {}
    for activity in Activity.search([]):
        days_by_signup.setdefault(activity.signup_id.id, set()).add(activity.day)
    per_batch = {}
    for invitation in env["atelier.beta.invitation"].search([]):
        row = per_batch.setdefault(
            invitation.batch_id.id,
            {"invited": 0, "accepted": 0, "activated": 0, "d7": [0, 0], "d30": [0, 0]},
        )
        if invitation.sent_at:
            row["invited"] += 1
        if invitation.state == "accepted":
            row["accepted"] += 1
            signup = invitation.signup_id
            if signup.activated_at:
                row["activated"] += 1
                a_day = env["atelier.beta.activity"]._atelier_day(signup.activated_at)
                for key in ("d7", "d30"):
                    lo, hi = retention[key]
                    if a_day + timedelta(days=hi) < today:
                        row[key][0] += 1
                        days = days_by_signup.get(signup.id, set())
                        if any(
                            a_day + timedelta(days=d) in days for d in range(lo, hi + 1)
                        ):
                            row[key][1] += 1
    weekly = len(
        {
            a.signup_id.id
            for a in Activity.search(
                [("day", ">=", today - timedelta(days=6)), ("day", "<=", today)]
            )
        }
    )
    feedback = env["atelier.beta.feedback"].search([])
    # answered: a score of 0 is an answer too, and the ORM's ``score != False``
    # leaves 0 out on an integer field
    answers = env["atelier.beta.nps"].search([("answered_at", "!=", False)])
    promoters = len(answers.filtered(lambda a: a.score >= 9))
    detractors = len(answers.filtered(lambda a: a.score <= 6))
    referrals = env["atelier.beta.referral"].search([])
    return {
        "funnel": funnel,
        "per_batch": per_batch,
        "weekly": weekly,
        "feedback": (
            len(feedback),
            len(feedback.filtered(lambda f: f.state == "accepted")),
        ),
        "nps": round(100.0 * (promoters - detractors) / len(answers))
        if answers
        else None,
        "referral_credited": len(referrals.filtered(lambda r: r.state == "credited")),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signups", type=int, default=100_000)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--db", default="atelier_bench_beta")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()

    if not db_exists(args.db):
        install_db(args.db, "atelier_beta")
    sys.path.insert(0, ODOO_SRC)
    import odoo  # noqa: PLC0415
    import odoo.sql_db  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import SQL, config  # noqa: PLC0415

    config.parse_config(config_args(args.db))
    registry = Registry(args.db)
    # importable once the registry has set the addons path
    from odoo.addons.atelier_beta.models.atelier_beta_dashboard import (  # noqa: PLC0415
        RETENTION,
    )

    try:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            make_fixtures(env, SQL, args.signups)
            manager = env["res.users"].search(
                [("login", "=", "bench_beta_manager")]
            ) or env["res.users"].create(
                {
                    "name": "Bench beta manager",
                    "login": "bench_beta_manager",
                    "group_ids": [
                        (6, 0, [env.ref("atelier_beta.group_beta_manager").id])
                    ],
                }
            )
            cr.commit()
            cr.execute(
                SQL(
                    "SELECT count(*), count(*) FILTER (WHERE state = 'waiting') "
                    "FROM atelier_beta_signup"
                )
            )
            total, waiting = cr.fetchone()
            print(
                f"sign-ups: {total:,}, waiting: {waiting:,}; "
                f"batch of {args.size:,} with {len(QUOTAS)} quotas"
            )

            quota_vals = [
                (
                    0,
                    0,
                    {
                        "dimension": dim,
                        fname: value,
                        "places": round(places * args.size / 1000),
                    },
                )
                for dim, fname, value, places in QUOTAS
            ]

            def draw():
                batch = env["atelier.beta.batch"].create(
                    {"name": "Bench draw", "size": args.size, "quota_ids": quota_vals}
                )
                env.flush_all()
                start = time.perf_counter()
                count = batch._atelier_draw()
                elapsed = (time.perf_counter() - start) * 1000
                people = set(batch.invitation_ids.signup_id.ids)
                cr.rollback()
                env.invalidate_all()
                return count, elapsed, people

            runs = [draw() for _i in range(5)]
            fast_ms = statistics.median(run[1] for run in runs)
            count, _ms, fast_people = runs[0]

            batch = env["atelier.beta.batch"].create(
                {"name": "Bench naive", "size": args.size, "quota_ids": quota_vals}
            )
            env.flush_all()
            start = time.perf_counter()
            naive_count = batch._atelier_draw_naive()
            env.flush_all()
            naive_ms = (time.perf_counter() - start) * 1000
            naive_people = set(batch.invitation_ids.signup_id.ids)
            cr.rollback()
            env.invalidate_all()
            print(
                f"\nrank + draw a batch of {args.size:,} with quotas "
                f"({waiting:,} waiting):"
            )
            print(
                f"  ranked pages + walk (_atelier_draw)  : {fast_ms:9.1f} ms "
                f"(median of 5), {count} drawn"
            )
            print(
                f"  ORM loop (read, sort, walk, create)  : {naive_ms:9.1f} ms, "
                f"{naive_count} drawn"
            )
            print(
                f"  speed-up x{naive_ms / fast_ms:.1f}; "
                f"same people: {fast_people == naive_people}"
            )
            print(f"  target < 2000 ms: {'met' if fast_ms < 2000 else 'NOT met'}")

            # position of one person (the status page)
            someone = env["atelier.beta.signup"].search(
                [("state", "=", "waiting")], order="id desc", limit=1
            )

            def position():
                someone.invalidate_recordset(["position"])
                return someone.position

            _pos, pos_ms, _values = timed(position, 20)
            print(
                f"\nposition of the last person on the status page: "
                f"{pos_ms:.1f} ms (median of 20)"
            )

            # dashboard
            Dashboard = env["atelier.beta.dashboard"].with_user(manager)

            def dashboard():
                env.invalidate_all()
                return Dashboard.atelier_dashboard()

            data, dash_ms, values = timed(dashboard, 6)
            cold_ms = values[0]
            today = env["atelier.beta.activity"]._atelier_today()
            env.invalidate_all()
            start = time.perf_counter()
            naive = naive_dashboard(env, today, RETENTION)
            naive_dash_ms = (time.perf_counter() - start) * 1000
            same = (
                naive["funnel"]["signups"] == data["funnel"]["signups"]
                and naive["funnel"]["activated"] == data["funnel"]["activated"]
                and naive["weekly"] == data["weekly"]["active_last_7_days"]
                and naive["nps"] == data["nps"]["all"]
                and naive["feedback"]
                == (data["feedback"]["received"], data["feedback"]["accepted"])
                and all(
                    naive["per_batch"][row["id"]]["d7"][0] == row["eligible_d7"]
                    for row in data["batches"]
                )
            )
            print(
                f"\nKPI dashboard ({total:,} sign-ups, "
                f"{len(data['batches'])} batches), as a beta manager:"
            )
            print(
                f"  SQL (a few queries)     : {dash_ms:9.1f} ms "
                f"(median of 6; first run {cold_ms:.1f} ms)"
            )
            print(f"  ORM loop over records   : {naive_dash_ms:9.1f} ms")
            print(f"  speed-up x{naive_dash_ms / dash_ms:.1f}; same figures: {same}")
            print(
                f"  figures: confirmation {data['funnel']['confirmation_rate']} %, "
                f"weekly active {data['weekly']['active_last_7_days']:,}, "
                f"NPS {data['nps']['all']}"
            )
            print(f"  target < 500 ms: {'met' if dash_ms < 500 else 'NOT met'}")
            cr.rollback()
    finally:
        registry.delete(args.db)
        odoo.sql_db.close_db(args.db)
        if not args.keep:
            subprocess.run(["dropdb", "--if-exists", args.db], check=False)


if __name__ == "__main__":
    main()
