# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Real transactions: concurrency on the event claim and the call insert,
and the bus notification sent after the commit.

One cursor per delivery, as one Odoo worker per request, on committed
fixtures (AtelierCommittedCase), removed afterwards. The losing
delivery must fail with an error that Odoo's request loop retries
(``odoo.service.model.retrying``), and its replay must give the answer of the
winner without writing anything twice.
"""

import json
import select
import threading
import time

import psycopg2

from odoo import Command
from odoo.exceptions import ConcurrencyError
from odoo.orm.environments import Transaction
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.sql_db import connection_info_for
from odoo.tests.common import get_db_name, tagged

from odoo.addons.atelier_base.tests.common import AtelierCommittedCase
from odoo.addons.atelier_cti.models.bus_bus import _notify_connection
from odoo.addons.atelier_cti.tools.events import parse_body

from .common import at, dumps, event

CALLER = "+33655443322"
STORM_CALLER = "+33655443311"
LINE_NUMBER = "+33472009999"
RETRYABLE = (*PG_CONCURRENCY_EXCEPTIONS_TO_RETRY, ConcurrencyError)


@tagged("post_install", "-at_install")
class TestConcurrentDeliveries(AtelierCommittedCase):
    @classmethod
    def _setup_committed(cls, env):
        env.cr.execute("SELECT COALESCE(max(id), 0) FROM bus_bus")
        cls.last_bus_id = env.cr.fetchone()[0]
        partner = env["res.partner"].create(
            {"name": "Concurrent Caller", "phone": CALLER}
        )
        storm = env["res.partner"].create(
            {"name": "Storm Caller", "phone": STORM_CALLER}
        )
        admin = env.ref("base.user_admin")
        line = env["atelier.cti.line"].create(
            {
                "name": "Race line",
                "code": "race-test",
                "provider": "race-test",
                "secret": "race-secret-0123456789",
                "numbers": LINE_NUMBER,
                "user_ids": [Command.set(admin.ids)],
                # gets the call-backs; follows no contact yet
                "owner_id": admin.id,
            }
        )
        cls.partner_id, cls.line_id = partner.id, line.id
        cls.storm_id, cls.admin_partner_id = storm.id, admin.partner_id.id

    @classmethod
    def _cleanup_committed(cls, env):
        calls = env["atelier.call"].search([("line_id", "=", cls.line_id)])
        env["atelier.call.event"].search([("line_id", "=", cls.line_id)]).unlink()
        calls.unlink()
        env["atelier.cti.line"].browse(cls.line_id).unlink()
        env["res.partner"].browse([cls.partner_id, cls.storm_id]).unlink()
        # the pop-up messages of the committed calls
        env.cr.execute(
            "DELETE FROM bus_bus WHERE id > %s AND message LIKE %s",
            (cls.last_bus_id, "%atelier_cti/call%"),
        )

    def _process(self, cr, payload):
        env = self._env(cr)
        line = env["atelier.cti.line"].browse(self.line_id)
        return env["atelier.call"]._cti_process_event(line, parse_body(dumps(payload)))

    def _replay(self, cr, payload):
        """What ``retrying`` does with the failed request: roll back, replay."""
        cr.rollback()
        # a fresh cache (Transaction.reset() would take the registry lock,
        # held by the test runner)
        cr.transaction = Transaction(self.registry)
        return self._process(cr, payload)

    def _stored(self, call_id):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM atelier_call WHERE provider_call_id = %s",
                (call_id,),
            )
            calls = cr.fetchone()[0]
            cr.execute(
                "SELECT count(*), count(DISTINCT event_id) FROM atelier_call_event "
                "e JOIN atelier_call c ON c.id = e.call_id "
                "WHERE c.provider_call_id = %s",
                (call_id,),
            )
            return (calls, *cr.fetchone())

    def _in_thread(self, target, tries=2):
        """Run ``target(cr)`` in its own cursor and thread; return (thread,
        outcome): outcome gets "raised" (the last retried error), "answer",
        or "failed" (an error Odoo's request loop would not retry: the
        sender would get an error answer).

        As ``odoo.service.model.retrying``: a concurrency error rolls back
        and replays, ``tries`` times in all."""
        outcome = {}

        def run():
            with self.registry.cursor() as cr:
                for attempt in range(tries):
                    try:
                        if attempt:
                            outcome["answer"] = target.replay(cr)
                        else:
                            outcome["answer"] = target(cr)
                        break
                    except RETRYABLE as exc:
                        outcome["raised"] = exc
                    except Exception as exc:  # noqa: BLE001
                        outcome["failed"] = exc
                        cr.rollback()
                        return
                cr.commit()  # pylint: disable=invalid-commit

        thread = threading.Thread(target=run)
        thread.start()
        return thread, outcome

    def test_duplicate_committed_after_our_snapshot(self):
        payload = event(
            "ringing", "race-1", "race-ev-1", **{"from": CALLER, "to": LINE_NUMBER}
        )
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            # B's snapshot is taken by its first query, as in a request that
            # already looked up the line
            self._env(cr_b)["atelier.cti.line"].browse(self.line_id).fetch(["code"])
            answer = self._process(cr_a, payload)
            cr_a.commit()  # pylint: disable=invalid-commit
            with self.assertRaises(PG_CONCURRENCY_EXCEPTIONS_TO_RETRY):
                self._process(cr_b, payload)
            self.assertEqual(self._replay(cr_b, payload), answer)
            cr_b.commit()  # pylint: disable=invalid-commit
        self.assertEqual(answer["partner_ids"], [self.partner_id])
        self.assertEqual(self._stored("race-1"), (1, 1, 1))

    def _race(self, first, second):
        """``first`` processed and held uncommitted while ``second`` is
        delivered in another worker; returns both answers."""
        with self.registry.cursor() as cr_a:
            answer = self._process(cr_a, first)

            def deliver(cr):
                return self._process(cr, second)

            deliver.replay = lambda cr: self._replay(cr, second)
            thread, outcome = self._in_thread(deliver)
            # the second delivery waits on our uncommitted rows
            thread.join(timeout=1)
            self.assertTrue(thread.is_alive(), "the second delivery should wait")
            cr_a.commit()  # pylint: disable=invalid-commit
        thread.join(timeout=30)
        self.assertFalse(thread.is_alive())
        self.assertIsInstance(outcome.get("raised"), PG_CONCURRENCY_EXCEPTIONS_TO_RETRY)
        return answer, outcome["answer"]

    def test_duplicate_in_flight_waits_then_replays(self):
        payload = event(
            "ringing", "race-2", "race-ev-2", **{"from": CALLER, "to": LINE_NUMBER}
        )
        first, second = self._race(payload, payload)
        self.assertEqual(second, first)
        self.assertEqual(self._stored("race-2"), (1, 1, 1))

    def test_two_events_of_a_new_call_at_once(self):
        numbers = {"from": CALLER, "to": LINE_NUMBER}
        ringing = event("ringing", "race-3", "race-ev-3r", at=at(-5), **numbers)
        answered = event("answered", "race-3", "race-ev-3a", at=at(), **numbers)
        first, second = self._race(ringing, answered)
        self.assertEqual(second["call_id"], first["call_id"])
        self.assertEqual(self._stored("race-3"), (1, 2, 2))
        with self.registry.cursor() as cr:
            call = self._env(cr)["atelier.call"].browse(first["call_id"])
            self.assertEqual(call.state, "answered")
            self.assertEqual(call.partner_id.id, self.partner_id)

    def test_missed_calls_of_one_contact_at_once(self):
        """Six missed calls of one caller at once (different calls), whose
        contact the line's owner does not follow yet: every call-back
        activity subscribes the owner to the contact. No event may fail:
        the ones that lose the race on the follower are replayed."""
        numbers = {"from": STORM_CALLER, "to": LINE_NUMBER}
        payloads = [
            event("missed", f"storm-{i}", f"storm-ev-{i}", at=at(i), **numbers)
            for i in range(6)
        ]
        with self.registry.cursor() as cr_a:
            first = self._process(cr_a, payloads[0])
            deliveries = []
            for payload in payloads[1:]:

                def deliver(cr, payload=payload):
                    return self._process(cr, payload)

                deliver.replay = lambda cr, payload=payload: self._replay(cr, payload)
                deliveries.append(self._in_thread(deliver, tries=5))
            # they wait on the first one's uncommitted follower
            for thread, _outcome in deliveries:
                thread.join(timeout=0.5)
                self.assertTrue(thread.is_alive(), "a delivery should wait")
            cr_a.commit()  # pylint: disable=invalid-commit
        for thread, _outcome in deliveries:
            thread.join(timeout=60)
            self.assertFalse(thread.is_alive())
        for _thread, outcome in deliveries:
            self.assertNotIn("failed", outcome)
            self.assertIn("answer", outcome)
            # it did lose the race, and was replayed
            self.assertIsInstance(outcome.get("raised"), RETRYABLE)
        call_ids = {first["call_id"]} | {o["answer"]["call_id"] for _t, o in deliveries}
        self.assertEqual(len(call_ids), 6)
        with self.registry.cursor() as cr:
            env = self._env(cr)
            calls = env["atelier.call"].browse(call_ids)
            self.assertEqual(set(calls.mapped("state")), {"missed"})
            self.assertEqual(calls.partner_id.id, self.storm_id)
            activities = calls.callback_activity_id
            self.assertEqual(len(activities), 6)
            self.assertEqual(set(activities.mapped("res_id")), {self.storm_id})
            followers = env["mail.followers"].search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", self.storm_id),
                    ("partner_id", "=", self.admin_partner_id),
                ]
            )
            self.assertEqual(len(followers), 1)
            self.assertTrue(followers.subtype_ids)

    def _ring_and_commit(self, call_id):
        with self.registry.cursor() as cr:
            self._process(
                cr, event("ringing", call_id, **{"from": CALLER, "to": LINE_NUMBER})
            )
            cr.commit()  # pylint: disable=invalid-commit
        return _notify_connection._connection.info.backend_pid

    def _received(self, listener, timeout=10):
        """Channels of the ``imbus`` notifications received within timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not listener.notifies:
            select.select([listener], [], [], 0.1)
            listener.poll()
        channels = []
        while listener.notifies:
            channels += json.loads(listener.notifies.pop(0).payload)
        return channels

    def test_bus_notification_on_a_kept_connection(self):
        listener = psycopg2.connect(**connection_info_for("postgres")[1])
        listener.autocommit = True
        try:
            with listener.cursor() as cr:
                cr.execute("LISTEN imbus")
            with self.registry.cursor() as cr:
                admin_partner = self._env(cr).ref("base.user_admin").partner_id.id
            channel = [get_db_name(), "res.partner", admin_partner]
            first = self._ring_and_commit("bus-1")
            self.assertIn(channel, self._received(listener))
            # the next transaction notifies on the same backend
            self.assertEqual(self._ring_and_commit("bus-2"), first)
            self.assertIn(channel, self._received(listener))
            # the connection is cut (PostgreSQL restarted, idle timeout): the
            # next notification reconnects and still arrives
            with listener.cursor() as cr:
                cr.execute("SELECT pg_terminate_backend(%s)", (first,))
            self.assertNotEqual(self._ring_and_commit("bus-3"), first)
            self.assertIn(channel, self._received(listener))
        finally:
            listener.close()
