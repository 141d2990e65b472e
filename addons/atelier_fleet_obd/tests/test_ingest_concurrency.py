# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Real transactions, one cursor per bridge request as one Odoo worker each.

A loser of a race on the batch or the session key must fail with an error
that Odoo's RPC layer retries (``odoo.service.model.retrying``), never with a
refusal, and without an ERROR line ("bad query") in the log. The retry loop
below is what ``retrying`` does: roll back, start again.
"""

import random
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

from odoo import Command
from odoo.exceptions import ConcurrencyError
from odoo.orm.environments import Transaction
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tests.common import tagged

from odoo.addons.atelier_base.tests.common import AtelierCommittedCase

from .common import ObdDataMixin

RETRYABLE = (*PG_CONCURRENCY_EXCEPTIONS_TO_RETRY, ConcurrencyError)


@tagged("post_install", "-at_install")
class TestConcurrentIngest(AtelierCommittedCase):
    @classmethod
    def _setup_committed(cls, env):
        bridge = env["res.users"].create(
            {
                "name": "OBD bridge (race)",
                "login": "obd_bridge_race",
                "group_ids": [
                    Command.set([env.ref("atelier_fleet_obd.group_obd_bridge").id])
                ],
            }
        )
        cls.bridge_id = bridge.id
        cls.start = datetime.now(timezone.utc) - timedelta(minutes=5)

    @classmethod
    def _cleanup_committed(cls, env):
        env["atelier.obd.session"].search([("bridge_id", "=", "race-bridge")]).unlink()
        env["atelier.obd.batch"].search([("bridge_id", "=", "race-bridge")]).unlink()
        user = env["res.users"].browse(cls.bridge_id)
        partner = user.partner_id
        user.unlink()
        partner.unlink()

    def payload(self, session_uuid, offset_s, count=5):
        payload = ObdDataMixin.make_payload(
            session_uuid=session_uuid,
            started_at=self.start,
            readings=ObdDataMixin.rpm_readings(
                self.start + timedelta(seconds=offset_s), count
            ),
        )
        payload["bridge_id"] = "race-bridge"
        return payload

    def ingest(self, cr, payload):
        env = self._env(cr)
        return env["atelier.obd.session"].with_user(self.bridge_id).ingest(payload)

    def ingest_retrying(self, payload, outcome):
        """One request: try, roll back and try again on a retryable error, up
        to 5 times after a random pause that doubles (Odoo's ``retrying``
        waits up to 2, 4, 8... s; a tenth of it here)."""
        for attempt in range(1, 6):
            if attempt > 1:
                time.sleep(random.uniform(0.0, 0.1 * 2**attempt))
            with self.registry.cursor() as cr:
                try:
                    outcome["answer"] = self.ingest(cr, payload)
                    cr.commit()  # pylint: disable=invalid-commit
                    return
                except RETRYABLE as exc:
                    outcome.setdefault("retried", []).append(type(exc).__name__)
                    cr.rollback()
                    cr.transaction = Transaction(self.registry)
                except Exception as exc:  # noqa: BLE001 - the test reports it
                    outcome["error"] = exc
                    return
        outcome["error"] = "too many retries"

    def race(self, first, others):
        """``first`` stored in a transaction left open while ``others`` start,
        each in its own thread and cursor; committed once they all wait."""
        outcomes = [{} for _ in others]
        with self.registry.cursor() as cr_first:
            first_answer = self.ingest(cr_first, first)
            threads = [
                threading.Thread(target=self.ingest_retrying, args=(p, o))
                for p, o in zip(others, outcomes, strict=True)
            ]
            for thread in threads:
                thread.start()
            self.wait_for_blocked(len(others))
            cr_first.commit()  # pylint: disable=invalid-commit
        for thread in threads:
            thread.join(30)
        return first_answer, outcomes

    def wait_for_blocked(self, count, timeout=10):
        """Until ``count`` transactions wait on a lock (the unique key)."""
        deadline = time.monotonic() + timeout
        with self.registry.cursor() as cr:
            while time.monotonic() < deadline:
                cr.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
                if cr.fetchone()[0] >= count:
                    return
                cr.rollback()
                time.sleep(0.05)
        raise AssertionError(f"{count} transactions never waited on each other")

    def test_six_first_batches_of_a_new_session_at_once(self):
        session_uuid = str(uuid.uuid4())
        payloads = [self.payload(session_uuid, 10 * i) for i in range(6)]
        with self.assertNoLogs("odoo.sql_db", level="ERROR"):
            first, outcomes = self.race(payloads[0], payloads[1:])
        self.assertEqual([o.get("error") for o in outcomes], [None] * 5)
        answers = [first] + [o["answer"] for o in outcomes]
        self.assertEqual({a["status"] for a in answers}, {"stored"})
        self.assertEqual(len({a["session_id"] for a in answers}), 1)
        self.assertTrue(all(o.get("retried") for o in outcomes))
        with self.registry.cursor() as cr:
            session = self._env(cr)["atelier.obd.session"].search(
                [("session_uuid", "=", session_uuid)]
            )
            self.assertEqual(len(session), 1)
            self.assertEqual(session.reading_count, 30)
            self.assertEqual(len(session.batch_ids), 6)

    def test_a_concurrent_duplicate_is_not_an_error(self):
        payload = self.payload(str(uuid.uuid4()), 0)
        with self.assertNoLogs("odoo.sql_db", level="ERROR"):
            first, (outcome,) = self.race(payload, [payload])
        self.assertIsNone(outcome.get("error"))
        self.assertEqual(
            (first["status"], outcome["answer"]["status"]), ("stored", "duplicate")
        )
        self.assertEqual(outcome["answer"]["session_id"], first["session_id"])
