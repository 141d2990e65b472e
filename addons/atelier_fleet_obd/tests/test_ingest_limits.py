# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the ingest API does with hostile or odd input, a bridge whose clock is
wrong and a batch UUID reused for another content (issue #10, items 29-32)."""

import copy
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, tagged

from ..models.atelier_obd_session import ObdBatchConflict
from ..tools import ingest_rules
from .common import ObdDataMixin, iso

README = Path(__file__).resolve().parents[1] / "readme" / "DESCRIPTION.md"


def nested(depth):
    """``{"a": {"a": … 1}}``, ``depth`` levels, built without recursion."""
    value = 1
    for _ in range(depth):
        value = {"a": value}
    return value


@tagged("post_install", "-at_install")
class TestIngestLimits(ObdDataMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_obd_data()
        cls.Session = cls.env["atelier.obd.session"]
        cls.start = datetime.now(timezone.utc) - timedelta(minutes=10)

    def ingest(self, payload):
        return self.Session.with_user(self.bridge_user).ingest(payload)

    def payload(self, **kw):
        kw.setdefault("started_at", self.start)
        return self.make_payload(**kw)

    def reading(self, value=900.0, ts=None, pid="RPM"):
        return {
            "pid": pid,
            "ts": ts or iso(self.start + timedelta(seconds=1)),
            "value": value,
        }

    def assertNothingStored(self, payload):
        self.assertFalse(
            self.env["atelier.obd.batch"].search(
                [("batch_uuid", "=", payload["batch_uuid"])]
            )
        )
        self.assertFalse(
            self.Session.search([("session_uuid", "=", payload["session_uuid"])])
        )

    # -- numbers ------------------------------------------------------------------
    def test_huge_numbers_are_refused_not_crashed(self):
        huge = 10**400
        payload = self.payload(readings=[self.reading()])
        payload["odometer"] = huge
        with self.assertRaisesRegex(ValidationError, "odometer must be a number"):
            self.ingest(payload)
        self.assertNothingStored(payload)
        payload = self.payload(
            readings=[self.reading(huge), self.reading(-huge), self.reading(901.0)],
            dtcs=[
                {
                    "code": "P0301",
                    "status": "stored",
                    "ts": iso(self.start),
                    "freeze_frame": {"RPM": huge},
                },
            ],
        )
        answer = self.ingest(payload)
        reasons = {(r["kind"], r["index"]): r["reason"] for r in answer["rejected"]}
        self.assertEqual(answer["accepted"], 1)
        self.assertTrue(reasons[("reading", 0)].startswith("out_of_range"))
        self.assertTrue(reasons[("reading", 1)].startswith("out_of_range"))
        self.assertTrue(reasons[("dtc", 0)].startswith("bad_freeze_frame"))
        self.assertTrue(all(len(reason) < 200 for reason in reasons.values()))
        good = self.payload()
        good["odometer"] = 128450
        self.ingest(good)
        session = self.Session.search([("session_uuid", "=", good["session_uuid"])])
        self.assertEqual(session.odometer, 128450)
        self.assertEqual(self.vehicle_a.odometer, 128450, "the vehicle's mileage")

    # -- dates ----------------------------------------------------------------------
    def test_dates_at_the_ends_of_the_calendar(self):
        for started_at in (
            "0001-01-01T00:30:00+01:00",
            "9999-12-31T23:30:00-02:00",
            "0001-01-01T00:00:00Z",
        ):
            payload = self.payload()
            payload["started_at"] = started_at
            with (
                self.subTest(started_at=started_at),
                self.assertRaisesRegex(ValidationError, "started_at"),
            ):
                self.ingest(payload)
            self.assertNothingStored(payload)
        payload = self.payload(
            readings=[
                self.reading(ts="0001-01-01T00:30:00+01:00"),
                self.reading(ts="9999-12-31T23:30:00-02:00"),
                self.reading(),
            ],
            events=[{"type": "connected", "ts": "9999-12-31T23:59:59+00:00"}],
        )
        answer = self.ingest(payload)
        self.assertEqual(answer["accepted"], 1)
        self.assertEqual(
            [r["reason"].split(":")[0] for r in answer["rejected"]],
            ["bad_timestamp", "bad_timestamp", "bad_timestamp"],
        )

    def test_a_session_starting_in_the_future_is_refused(self):
        """A start in year 9999 used to create a session refusing every
        reading as 'before_start'."""
        payload = self.payload(readings=[self.reading()])
        payload["started_at"] = "9999-06-01T00:00:00Z"
        with self.assertRaisesRegex(ValidationError, "started_at .* 2000 to 2199"):
            self.ingest(payload)
        payload["started_at"] = iso(datetime.now(timezone.utc) + timedelta(hours=2))
        with self.assertRaisesRegex(ValidationError, "in the future"):
            self.ingest(payload)
        self.assertNothingStored(payload)

    # -- structures -----------------------------------------------------------------
    def test_deeply_nested_freeze_frame_is_a_permanent_refusal(self):
        payload = self.payload(
            readings=[self.reading()],
            dtcs=[
                {
                    "code": "P0301",
                    "status": "stored",
                    "ts": iso(self.start),
                    "freeze_frame": nested(3000),
                }
            ],
        )
        with self.assertRaisesRegex(ValidationError, "nested deeper than"):
            self.ingest(payload)
        self.assertNothingStored(payload)
        # two levels: that code is rejected, the rest of the batch is stored
        payload = self.payload(
            readings=[self.reading()],
            dtcs=[
                {
                    "code": "P0301",
                    "status": "stored",
                    "ts": iso(self.start),
                    "freeze_frame": {"RPM": {"value": 2100}},
                },
                {
                    "code": "P0171",
                    "status": "stored",
                    "ts": iso(self.start),
                    "freeze_frame": {"RPM": 2100, "FUEL_STATUS": "Closed loop"},
                },
            ],
            events=[{"type": "connected", "ts": iso(self.start), "detail": nested(3)}],
        )
        answer = self.ingest(payload)
        reasons = {(r["kind"], r["index"]): r["reason"] for r in answer["rejected"]}
        self.assertEqual(answer["accepted"], 2)
        self.assertEqual(set(reasons), {("dtc", 0), ("event", 0)})
        self.assertTrue(reasons[("dtc", 0)].startswith("bad_freeze_frame"))
        self.assertTrue(reasons[("event", 0)].startswith("malformed"))
        session = self.Session.browse(answer["session_id"])
        self.assertEqual(
            session.dtc_ids.freeze_frame, {"RPM": 2100, "FUEL_STATUS": "Closed loop"}
        )

    def test_rejection_reasons_do_not_echo_the_input(self):
        """20 values of 1 MB used to come back (and be stored) whole."""
        big = "9" * 1_000_000
        payload = self.payload(
            readings=[self.reading(big) for _ in range(10)]
            + [self.reading(pid=big) for _ in range(5)]
            + [self.reading(ts=big) for _ in range(5)],
            dtcs=[{"code": big, "status": "stored", "ts": iso(self.start)}],
        )
        answer = self.ingest(payload)
        self.assertEqual(len(answer["rejected"]), 21)
        self.assertLess(len(json.dumps(answer)), 10_000)
        batch = self.env["atelier.obd.batch"].search(
            [("batch_uuid", "=", payload["batch_uuid"])]
        )
        self.assertLess(len(json.dumps(batch.answer)), 10_000)

    def test_every_reason_code_is_documented(self):
        readme = README.read_text(encoding="utf-8")
        for code in ingest_rules.REASON_CODES:
            with self.subTest(code=code):
                self.assertIn(f"`{code}`", readme)
        self.assertIn("`conflict`", readme)

    # -- same UUID, other content ------------------------------------------------------
    def test_same_batch_uuid_with_another_content_is_a_conflict(self):
        payload = self.payload(readings=[self.reading(900.0)])
        payload["sent_at"] = iso(datetime.now(timezone.utc))
        first = self.ingest(copy.deepcopy(payload))
        self.assertEqual(first["status"], "stored")
        # sent again later: only sent_at differs, a duplicate
        payload["sent_at"] = iso(datetime.now(timezone.utc) + timedelta(seconds=3))
        self.assertEqual(self.ingest(copy.deepcopy(payload))["status"], "duplicate")
        other = copy.deepcopy(payload)
        other["readings"][0]["value"] = 950.0
        with self.assertRaisesRegex(ObdBatchConflict, "another content") as caught:
            self.ingest(other)
        self.assertEqual(caught.exception.http_status, 409)
        session = self.Session.browse(first["session_id"])
        self.assertEqual(session.chunk_ids.value_list, [900.0], "nothing replaced")

    # -- the bridge's clock ---------------------------------------------------------
    def _clock_payloads(self, skew, count=150):
        """Two batches of a session read by a bridge whose clock is off by
        ``skew``: its timestamps and its ``sent_at`` carry the same error."""
        true_start = datetime.now(timezone.utc) - timedelta(minutes=5)
        start = true_start + skew
        first = self.payload(
            started_at=start,
            readings=self.rpm_readings(start + timedelta(seconds=1), count // 2),
        )
        first["sent_at"] = iso(datetime.now(timezone.utc) + skew)
        second = self.payload(
            session_uuid=first["session_uuid"],
            started_at=start,
            readings=self.rpm_readings(
                start + timedelta(seconds=60), count - count // 2
            ),
            events=[{"type": "session_end", "ts": iso(start + timedelta(minutes=3))}],
        )
        second["sent_at"] = iso(datetime.now(timezone.utc) + skew)
        return true_start, first, second

    def test_a_bridge_clock_one_hour_off_is_corrected(self):
        for skew in (timedelta(hours=1), timedelta(hours=-1)):
            with self.subTest(skew=skew):
                true_start, first, second = self._clock_payloads(skew)
                answers = [self.ingest(first), self.ingest(second)]
                self.assertEqual([a["rejected"] for a in answers], [[], []])
                self.assertEqual(sum(a["accepted"] for a in answers), 151)
                session = self.Session.browse(answers[0]["session_id"])
                self.assertEqual(session.reading_count, 150)
                self.assertAlmostEqual(
                    session.clock_offset, -skew.total_seconds(), delta=5
                )
                self.assertAlmostEqual(
                    session.started_at,
                    true_start.replace(tzinfo=None),
                    delta=timedelta(seconds=5),
                )
                self.assertEqual(session.state, "done")

    def test_a_right_clock_is_left_alone(self):
        payload = self.payload(readings=[self.reading()])
        payload["sent_at"] = iso(datetime.now(timezone.utc) - timedelta(seconds=4))
        answer = self.ingest(payload)
        self.assertEqual((answer["accepted"], answer["clock_offset"]), (1, 0.0))
        session = self.Session.browse(answer["session_id"])
        self.assertEqual(
            session.started_at,
            self.start.replace(
                tzinfo=None, microsecond=self.start.microsecond // 1000 * 1000
            ),
        )

    def test_items_refused_for_their_time_are_kept_and_recovered(self):
        """Readings stamped an hour before the session start (a clock step with
        no sent_at to tell): refused, kept aside, recovered with a shift."""
        start = datetime.now(timezone.utc) - timedelta(minutes=30)
        stepped = self.rpm_readings(start - timedelta(minutes=55), 40)
        payload = self.payload(
            started_at=start,
            readings=self.rpm_readings(start + timedelta(seconds=1), 10) + stepped,
            dtcs=[
                {
                    "code": "P0420",
                    "status": "stored",
                    "ts": iso(start - timedelta(minutes=50)),
                }
            ],
        )
        answer = self.ingest(payload)
        self.assertEqual((answer["accepted"], answer["kept"]), (10, 41))
        self.assertTrue(all(r.get("kept") for r in answer["rejected"]))
        session = self.Session.browse(answer["session_id"])
        batch = session.batch_ids
        self.assertEqual(batch.parked_count, 41)
        wizard = (
            self.env["atelier.obd.session.recover"]
            .with_user(self.manager)
            .create({"session_id": session.id})
        )
        self.assertEqual(wizard.parked_count, 41)
        self.assertAlmostEqual(wizard.shift_minutes, 55, delta=1)
        wizard.action_recover()
        self.assertEqual(session.reading_count, 50)
        self.assertEqual(session.dtc_ids.mapped("code"), ["P0420"])
        self.assertEqual((batch.parked_count, batch.accepted_count), (0, 51))
        # the technician cannot
        with self.assertRaises(AccessError):
            self.env["atelier.obd.session.recover"].with_user(self.technician).create(
                {"session_id": session.id}
            )
