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
from odoo.orm.environments import Transaction
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.sql_db import connection_info_for
from odoo.tests.common import get_db_name, tagged

from odoo.addons.atelier_base.tests.common import AtelierCommittedCase
from odoo.addons.atelier_cti.models.bus_bus import _notify_connection
from odoo.addons.atelier_cti.tools.events import parse_body

from .common import at, dumps, event

CALLER = "+33655443322"
LINE_NUMBER = "+33472009999"


@tagged("post_install", "-at_install")
class TestConcurrentDeliveries(AtelierCommittedCase):
    @classmethod
    def _setup_committed(cls, env):
        env.cr.execute("SELECT COALESCE(max(id), 0) FROM bus_bus")
        cls.last_bus_id = env.cr.fetchone()[0]
        partner = env["res.partner"].create(
            {"name": "Concurrent Caller", "phone": CALLER}
        )
        line = env["atelier.cti.line"].create(
            {
                "name": "Race line",
                "code": "race-test",
                "provider": "race-test",
                "secret": "race-secret-0123456789",
                "numbers": LINE_NUMBER,
                "user_ids": [Command.set(env.ref("base.user_admin").ids)],
            }
        )
        cls.partner_id, cls.line_id = partner.id, line.id

    @classmethod
    def _cleanup_committed(cls, env):
        calls = env["atelier.call"].search([("line_id", "=", cls.line_id)])
        env["atelier.call.event"].search([("line_id", "=", cls.line_id)]).unlink()
        calls.unlink()
        env["atelier.cti.line"].browse(cls.line_id).unlink()
        env["res.partner"].browse(cls.partner_id).unlink()
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

    def _in_thread(self, target):
        """Run ``target(cr)`` in its own cursor and thread; return (thread,
        outcome): outcome gets "raised" (the error) or "answer"."""
        outcome = {}

        def run():
            with self.registry.cursor() as cr:
                try:
                    outcome["answer"] = target(cr)
                except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY as exc:
                    outcome["raised"] = exc
                    outcome["answer"] = target.replay(cr)
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
