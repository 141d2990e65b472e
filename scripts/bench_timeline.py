#!/usr/bin/env python3
# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of the contact's timeline (atelier_desk): a client company with
5 people and 5,000 events (2,000 calls, 1,500 e-mails, 1,000 tickets, 500
appointments) among a background of other clients' calls and e-mails,
read as an assistant (record rules applied), server side (the method call,
in process).

Compared in the same run with the plain Odoo way: one ``search_read`` per
kind of record for the client's people, merged and sorted in Python.

Usage: .venv/bin/python scripts/bench_timeline.py [--db atelier_bench_desk]
    [--noise 200000] [--runs 20]

The database is created with atelier_desk if missing; the data of a run is
rolled back at the end.
"""

import argparse
import statistics
import sys
import time

from _bench_common import ODOO_SRC, config_args, db_exists, install_db

CALLS, EMAILS, TICKETS, BOOKINGS = 2000, 1500, 1000, 500


def sql(env, query, *params):
    env.cr.execute(query, params)


def make_fixtures(env, noise):
    from odoo.tests import new_test_user

    Partner = env["res.partner"]
    company = Partner.create({"name": "Bench Transports", "is_company": True})
    people = Partner.create(
        [{"name": f"Bench person {i}", "parent_id": company.id} for i in range(5)]
    )
    family = [company.id, *people.ids]
    assistant = new_test_user(
        env, login="bench_timeline_claire", groups="atelier_base.group_assistant"
    )
    technician = new_test_user(
        env, login="bench_timeline_tech", groups="atelier_base.group_technician"
    )
    line = env["atelier.cti.line"].create(
        {
            "name": "Bench line",
            "code": "bench-timeline",
            "provider": "bench",
            "secret": "bench-secret-0123456789abcdef",
            "numbers": "+33 4 72 00 00 77",
            "owner_id": assistant.id,
        }
    )
    appointment_type = env["atelier.appointment.type"].create(
        {
            "name": "Bench visit",
            "duration": 60,
            "technician_ids": [(6, 0, technician.ids)],
        }
    )
    team = env.ref("atelier_helpdesk.helpdesk_team_desk")
    stage = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
    comment = env.ref("mail.mt_comment")
    # background: other clients
    sql(
        env,
        """
        INSERT INTO res_partner (name, active, type, create_date, write_date)
        SELECT 'Bench other ' || i, true, 'contact', now(), now()
          FROM generate_series(1, 10000) i
        """,
    )
    sql(
        env, "SELECT min(id), max(id) FROM res_partner WHERE name LIKE 'Bench other %%'"
    )
    low, high = env.cr.fetchone()
    sql(
        env,
        """
        INSERT INTO atelier_call (line_id, provider, provider_call_id, direction,
               state, start_at, partner_id, partner_number, name, hour, duration,
               callback_done, create_date, write_date)
        SELECT %s, 'bench', 'noise-' || i, 'inbound', 'ended',
               now() - (i || ' minutes')::interval, %s + (i %% (%s - %s + 1)),
               '+33600000000', 'noise', 9, 60, false, now(), now()
          FROM generate_series(1, %s) i
        """,
        line.id,
        low,
        high,
        low,
        noise,
    )
    sql(
        env,
        """
        INSERT INTO mail_message (model, res_id, message_type, body, date,
               author_id, subject, create_date, write_date)
        SELECT 'res.partner', %s + (i %% 1000), 'email', '<p>noise</p>',
               now() - (i || ' minutes')::interval, %s + (i %% (%s - %s + 1)),
               'noise', now(), now()
          FROM generate_series(1, %s) i
        """,
        low,
        low,
        high,
        low,
        noise // 2,
    )
    # the client's 5,000 events, spread over three years
    sql(
        env,
        """
        INSERT INTO atelier_call (line_id, provider, provider_call_id, direction,
               state, start_at, partner_id, partner_number, name, hour, duration,
               callback_done, user_id, create_date, write_date)
        SELECT %s, 'bench', 'client-' || i, 'inbound',
               CASE WHEN i %% 9 = 0 THEN 'missed' ELSE 'ended' END,
               now() - (i * 13 || ' hours')::interval, (%s::int[])[1 + i %% 6],
               '+33611111111', '← Bench', 10, 120, i %% 9 = 0, %s, now(), now()
          FROM generate_series(1, %s) i
        """,
        line.id,
        family,
        assistant.id,
        CALLS,
    )
    sql(
        env,
        """
        INSERT INTO helpdesk_ticket (name, number, stage_id, team_id, partner_id,
               commercial_partner_id, company_id, active, priority,
               description, rating_status,
               atelier_channel, atelier_survey_state, atelier_age_bucket,
               create_date, write_date, last_stage_update)
        SELECT 'Bench ticket ' || i, 'BT' || i, %s, %s, (%s::int[])[1 + i %% 6],
               %s, %s, true, '1', '<p>Bench</p>', 'no_rate', 'email', 'none',
               '7_plus',
               now() - (i * 26 || ' hours')::interval, now(), now()
          FROM generate_series(1, %s) i
        RETURNING id
        """,
        stage.id,
        team.id,
        family,
        company.id,
        env.company.id,
        TICKETS,
    )
    ticket_ids = [row[0] for row in env.cr.fetchall()]
    sql(
        env,
        """
        INSERT INTO mail_message (model, res_id, message_type, body, date,
               author_id, subject, subtype_id, create_date, write_date)
        SELECT 'helpdesk.ticket', (%s::int[])[1 + i %% %s],
               CASE WHEN i %% 2 = 0 THEN 'email' ELSE 'comment' END,
               '<p>Bonjour, voici ma demande.</p>',
               now() - (i * 17 || ' hours')::interval,
               CASE WHEN i %% 2 = 0 THEN (%s::int[])[1 + i %% 6] ELSE %s END,
               'Bench e-mail ' || i, %s, now(), now()
          FROM generate_series(1, %s) i
        RETURNING id, author_id
        """,
        ticket_ids,
        len(ticket_ids),
        family,
        assistant.partner_id.id,
        comment.id,
        EMAILS,
    )
    sent = [
        mid for mid, author in env.cr.fetchall() if author == assistant.partner_id.id
    ]
    sql(
        env,
        """
        INSERT INTO mail_message_res_partner_rel (mail_message_id, res_partner_id)
        SELECT m, %s FROM unnest(%s::int[]) m
        """,
        people[0].id,
        sent,
    )
    sql(
        env,
        """
        INSERT INTO atelier_booking (name, appointment_type_id, partner_id,
               technician_id, start, stop, blocked_start, blocked_stop, state,
               partner_confirmed, client_tz, company_id, atelier_booked_by,
               create_date, write_date)
        SELECT 'Bench visit', %s, (%s::int[])[1 + i %% 6], %s,
               now() - (i * 50 || ' hours')::interval,
               now() - (i * 50 - 1 || ' hours')::interval,
               now() - (i * 50 || ' hours')::interval,
               now() - (i * 50 - 1 || ' hours')::interval,
               'done', true, 'Europe/Paris', %s, 'desk', now(), now()
          FROM generate_series(1, %s) i
        """,
        appointment_type.id,
        family,
        technician.id,
        env.company.id,
        BOOKINGS,
    )
    env.invalidate_all()
    sql(
        env,
        "ANALYZE atelier_call, mail_message, helpdesk_ticket, atelier_booking, "
        "mail_message_res_partner_rel, mail_notification, res_partner",
    )
    return company, people, assistant


def plain_odoo(partner, limit=30):
    """The plain way: every record of every kind, merged in Python."""
    env = partner.env
    ids = partner.search([("id", "child_of", partner.id)]).ids
    rows = []
    for model, field, date in (
        ("atelier.call", "partner_id", "start_at"),
        ("helpdesk.ticket", "partner_id", "create_date"),
        ("atelier.booking", "partner_id", "start"),
        ("mail.message", "author_id", "date"),
    ):
        for record in env[model].search_read(
            [(field, "in", ids)], [date, "display_name"]
        ):
            rows.append((record[date], model, record["id"], record["display_name"]))
    sent = env["mail.message"].search_read([("partner_ids", "in", ids)], ["date"])
    rows += [(m["date"], "mail.message", m["id"], "") for m in sent]
    rows.sort(key=lambda row: row[0], reverse=True)
    return rows[:limit]


def timed(function, runs):
    times = []
    for _run in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="atelier_bench_desk")
    parser.add_argument("--noise", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if not db_exists(args.db):
        install_db(args.db, "atelier_desk")
    sys.path.insert(0, ODOO_SRC)
    import odoo.service.server
    from odoo import api
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(config_args(args.db))
    odoo.service.server.load_server_wide_modules()
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        start = time.perf_counter()
        company, people, assistant = make_fixtures(env, args.noise)
        print(
            f"fixtures: {CALLS + EMAILS + TICKETS + BOOKINGS:,} events for a company "
            f"of {len(people)} people, {args.noise:,} calls and {args.noise // 2:,} "
            f"e-mails of 10,000 other clients ({time.perf_counter() - start:.1f}s)"
        )
        as_claire = env(user=assistant.id)
        firm = company.with_env(as_claire)
        person = people[0].with_env(as_claire)
        first = firm.atelier_timeline()
        counts = {kind["key"]: kind["count"] for kind in first["kinds"]}
        print(f"company timeline counts: {counts}")
        page5 = first["next"]
        for _page in range(3):
            page5 = firm.atelier_timeline(cursor=page5)["next"]

        def run(label, call):
            def measured():
                as_claire.invalidate_all()
                call()

            p50, p95 = timed(measured, args.runs)
            print(f"  {label:<46} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
            return p95

        print(f"server side, {args.runs} runs each, record cache emptied before each:")
        worst = max(
            run("timeline, company, page 1 (with counts)", firm.atelier_timeline),
            run(
                "timeline, company, page 5", lambda: firm.atelier_timeline(cursor=page5)
            ),
            run("timeline, one person, page 1", person.atelier_timeline),
            run(
                "timeline, company, calls only",
                lambda: firm.atelier_timeline(kinds=["call"]),
            ),
        )
        run("plain Odoo: search_read per kind + sort", lambda: plain_odoo(firm))
        print(f"target (p95 < 300 ms): {'met' if worst < 300 else 'NOT met'}")
        cr.rollback()
    return 0


if __name__ == "__main__":
    sys.exit(main())
