# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import copy
import uuid
from datetime import datetime, timedelta, timezone

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, tagged

from .common import VIN_CLIO, VIN_US, ObdDataMixin, iso


def naive(moment):
    """What the database keeps of an aware timestamp sent in milliseconds."""
    return moment.replace(tzinfo=None, microsecond=moment.microsecond // 1000 * 1000)


@tagged("post_install", "-at_install")
class TestIngest(ObdDataMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_obd_data()
        cls.Session = cls.env["atelier.obd.session"]
        cls.start = datetime.now(timezone.utc) - timedelta(minutes=10)

    def ingest(self, payload, user=None):
        return self.Session.with_user(user or self.bridge_user).ingest(payload)

    def test_stored_then_duplicate(self):
        payload = self.make_payload(
            started_at=self.start,
            readings=self.rpm_readings(self.start + timedelta(seconds=1), 3),
            dtcs=[{"code": "P0301", "status": "stored", "ts": iso(self.start)}],
            events=[{"type": "connected", "ts": iso(self.start), "detail": "ok"}],
        )
        answer = self.ingest(copy.deepcopy(payload))
        self.assertEqual(answer["status"], "stored")
        self.assertEqual(answer["batch_uuid"], payload["batch_uuid"])
        self.assertEqual(answer["accepted"], 5)
        self.assertEqual(answer["rejected"], [])
        session = self.Session.browse(answer["session_id"])
        self.assertEqual(session.vehicle_id, self.vehicle_a)
        self.assertEqual(session.partner_id, self.client_a)
        self.assertEqual(session.reading_count, 3)
        self.assertEqual(session.dtc_ids.dtc_id, self.env.ref("atelier_dtc.dtc_p0301"))
        self.assertEqual(session.create_uid, self.bridge_user)

        again = self.ingest(copy.deepcopy(payload))
        self.assertEqual(again["status"], "duplicate")
        self.assertEqual(
            {k: v for k, v in again.items() if k != "status"},
            {k: v for k, v in answer.items() if k != "status"},
        )
        session.invalidate_recordset()
        self.assertEqual(session.reading_count, 3)
        self.assertEqual(len(session.chunk_ids), 1)
        self.assertEqual(sum(session.chunk_ids.mapped("count")), 3)
        self.assertEqual(len(session.dtc_ids), 1)
        self.assertEqual(len(session.event_ids), 1)
        batches = self.env["atelier.obd.batch"].search(
            [("batch_uuid", "=", payload["batch_uuid"])]
        )
        self.assertEqual(len(batches), 1)
        self.assertEqual(batches.answer["accepted"], 5)

    def test_second_batch_same_session(self):
        first = self.make_payload(
            started_at=self.start, readings=self.rpm_readings(self.start, 2)
        )
        session_id = self.ingest(first)["session_id"]
        second = self.make_payload(
            session_uuid=first["session_uuid"],
            started_at=self.start,
            readings=self.rpm_readings(self.start + timedelta(seconds=5), 4),
        )
        answer = self.ingest(second)
        self.assertEqual(
            (answer["status"], answer["session_id"]), ("stored", session_id)
        )
        session = self.Session.browse(session_id)
        self.assertEqual(session.reading_count, 6)
        self.assertEqual(len(session.batch_ids), 2)

    def test_item_rejections(self):
        now = datetime.now(timezone.utc)
        t = iso(self.start + timedelta(seconds=1))
        readings = [
            {"pid": "RPM", "ts": t, "value": 900.0, "unit": "rpm"},  # 0 ok
            {"pid": "WARP_DRIVE", "ts": t, "value": 1.0},  # 1 unknown PID
            {"pid": "RPM", "ts": t, "value": float("nan")},  # 2 NaN
            {"pid": "SPEED", "ts": t, "value": float("inf")},  # 3 inf
            {"pid": "RPM", "ts": t, "value": 50000.0},  # 4 absurd
            {"pid": "SPEED", "ts": t, "value": -3.0},  # 5 absurd
            {
                "pid": "RPM",
                "ts": iso(now + timedelta(hours=1)),
                "value": 900.0,
            },  # 6 future
            {
                "pid": "RPM",
                "ts": iso(self.start - timedelta(minutes=1)),
                "value": 900.0,
            },  # 7
            {"pid": "RPM", "ts": "yesterday", "value": 900.0},  # 8 bad ts
            {"pid": "RPM", "ts": t, "value": "900"},  # 9 not a number
            {"pid": "RPM", "ts": t, "value": True},  # 10 bool
            "RPM=900",  # 11 not an object
            {
                "pid": "COOLANT_TEMP",
                "ts": iso(now + timedelta(minutes=2)),
                "value": 90,
            },  # ok
        ]
        dtcs = [
            {"code": "P0420", "status": "pending", "ts": t},  # ok
            {"code": "P04", "status": "stored", "ts": t},  # bad code
            {"code": "P0171", "status": "cleared", "ts": t},  # bad status
            {"code": "P0171", "status": "stored", "ts": iso(now + timedelta(days=1))},
        ]
        events = [
            {"type": "connected", "ts": t},
            {"type": "exploded", "ts": t},
        ]
        payload = self.make_payload(
            started_at=self.start, readings=readings, dtcs=dtcs, events=events
        )
        answer = self.ingest(payload)
        self.assertEqual(answer["status"], "stored")
        self.assertEqual(answer["accepted"], 4)
        rejected = {(r["kind"], r["index"]): r["reason"] for r in answer["rejected"]}
        expected = {
            ("reading", 1): "unknown_pid",
            ("reading", 2): "not_finite",
            ("reading", 3): "not_finite",
            ("reading", 4): "out_of_range",
            ("reading", 5): "out_of_range",
            ("reading", 6): "future",
            ("reading", 7): "before_start",
            ("reading", 8): "bad_timestamp",
            ("reading", 9): "not_a_number",
            ("reading", 10): "not_a_number",
            ("reading", 11): "malformed",
            ("dtc", 1): "bad_code",
            ("dtc", 2): "bad_status",
            ("dtc", 3): "future",
            ("event", 1): "bad_type",
        }
        self.assertEqual(set(rejected), set(expected))
        for key, prefix in expected.items():
            self.assertTrue(rejected[key].startswith(prefix), (key, rejected[key]))
        session = self.Session.browse(answer["session_id"])
        self.assertEqual(session.reading_count, 2)
        self.assertEqual(
            sorted(session.chunk_ids.mapped("pid")), ["COOLANT_TEMP", "RPM"]
        )
        self.assertEqual(session.dtc_ids.mapped("code"), ["P0420"])
        self.assertEqual(session.dtc_ids.status, "pending")

    def test_vin_mismatch_rejects_batch_items(self):
        first = self.make_payload(
            started_at=self.start, readings=self.rpm_readings(self.start, 2)
        )
        session_id = self.ingest(first)["session_id"]
        other = self.make_payload(
            session_uuid=first["session_uuid"],
            vin=VIN_US,
            started_at=self.start,
            readings=self.rpm_readings(self.start + timedelta(seconds=5), 3),
            dtcs=[{"code": "P0300", "status": "stored", "ts": iso(self.start)}],
        )
        answer = self.ingest(other)
        self.assertEqual(answer["accepted"], 0)
        self.assertEqual(len(answer["rejected"]), 4)
        self.assertTrue(
            all(r["reason"].startswith("vin_mismatch") for r in answer["rejected"])
        )
        session = self.Session.browse(session_id)
        self.assertEqual((session.reading_count, session.vin), (2, VIN_CLIO))
        self.assertFalse(session.dtc_ids)

    def test_vin_learned_later_and_orphans_linked(self):
        first = self.make_payload(vin=None, started_at=self.start)
        session = self.Session.browse(self.ingest(first)["session_id"])
        self.assertFalse(session.vehicle_id)
        second = self.make_payload(
            session_uuid=first["session_uuid"], vin=VIN_CLIO, started_at=self.start
        )
        self.ingest(second)
        self.assertEqual(session.vehicle_id, self.vehicle_a)
        # A car the workshop does not know yet: linked when it is registered
        unknown_vin = "WF0XXXGCDX1234567"
        orphan = self.Session.browse(
            self.ingest(self.make_payload(vin=unknown_vin, started_at=self.start))[
                "session_id"
            ]
        )
        self.assertFalse(orphan.vehicle_id)
        vehicle = self.env["fleet.vehicle"].create(
            {"model_id": self.vehicle_a.model_id.id, "vin_sn": unknown_vin}
        )
        self.assertEqual(orphan.vehicle_id, vehicle)

    def test_malformed_payloads(self):
        good = self.make_payload(started_at=self.start)
        cases = [
            ("not a dict", "must be an object"),
            ([good], "must be an object"),
            ({**good, "batch_uuid": None}, "batch_uuid"),
            ({**good, "batch_uuid": "1234"}, "batch_uuid"),
            ({**good, "session_uuid": ""}, "session_uuid"),
            ({**good, "bridge_id": ""}, "bridge_id"),
            ({**good, "started_at": "soon"}, "started_at"),
            ({**good, "readings": {"RPM": 1}}, "readings must be a list"),
            ({**good, "vin": "TOO-SHORT"}, "vin"),
            ({**good, "odometer": -5}, "odometer"),
        ]
        for payload, message in cases:
            with (
                self.subTest(message=message),
                self.assertRaisesRegex(ValidationError, message),
            ):
                self.ingest(payload)
        self.assertFalse(
            self.env["atelier.obd.batch"].search(
                [("batch_uuid", "=", good["batch_uuid"])]
            )
        )

    def test_dtc_upsert_and_session_end(self):
        first = self.make_payload(
            started_at=self.start,
            dtcs=[
                {
                    "code": "p0171",
                    "status": "pending",
                    "ts": iso(self.start + timedelta(seconds=10)),
                },
                {"code": "P1ABC", "status": "stored", "ts": iso(self.start)},
            ],
        )
        session = self.Session.browse(self.ingest(first)["session_id"])
        second = self.make_payload(
            session_uuid=first["session_uuid"],
            started_at=self.start,
            dtcs=[
                {
                    "code": "P0171",
                    "status": "stored",
                    "ts": iso(self.start + timedelta(seconds=60)),
                    "freeze_frame": {"RPM": 2100, "COOLANT_TEMP": 85},
                },
                {
                    "code": "P0171",
                    "status": "pending",
                    "ts": iso(self.start + timedelta(seconds=5)),
                },
            ],
            events=[
                {"type": "session_end", "ts": iso(self.start + timedelta(minutes=2))}
            ],
        )
        answer = self.ingest(second)
        self.assertEqual(answer["accepted"], 3)
        line = session.dtc_ids.filtered(lambda dtc: dtc.code == "P0171")
        self.assertEqual(len(line), 1)
        self.assertEqual(line.status, "stored", "the latest status wins")
        self.assertEqual(line.dtc_id, self.env.ref("atelier_dtc.dtc_p0171"))
        self.assertEqual(
            line.first_seen,
            naive(self.start + timedelta(seconds=5)),
        )
        self.assertEqual(
            line.last_seen,
            naive(self.start + timedelta(seconds=60)),
        )
        self.assertEqual(line.freeze_frame, {"RPM": 2100, "COOLANT_TEMP": 85})
        maker = session.dtc_ids.filtered(lambda dtc: dtc.code == "P1ABC")
        self.assertFalse(maker.dtc_id, "unknown codes are kept without reference")
        self.assertEqual(session.state, "done")
        self.assertEqual(
            session.ended_at,
            naive(self.start + timedelta(minutes=2)),
        )
        # The vehicle shows the codes of its last session
        self.assertEqual(self.vehicle_a.atelier_dtc_count, 2)
        self.assertEqual(self.vehicle_a.atelier_last_session_id, session)
        self.assertEqual(self.vehicle_a.atelier_obd_session_count, 1)

    def test_known_codes_are_updated_in_one_statement(self):
        """Updating 12 known codes costs the queries of updating 1."""
        codes = [f"P{300 + i:04d}" for i in range(12)]

        def batch(session_uuid, codes, seconds):
            ts = iso(self.start + timedelta(seconds=seconds))
            return self.make_payload(
                session_uuid=session_uuid,
                started_at=self.start,
                dtcs=[{"code": code, "status": "stored", "ts": ts} for code in codes],
            )

        queries = []
        for some in (codes[:1], codes):
            first = batch(None, some, 1)
            self.ingest(first)
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            self.ingest(batch(first["session_uuid"], some, 30))
            self.env.flush_all()
            queries.append(self.env.cr.sql_log_count - before)
            session = self.Session.search(
                [("session_uuid", "=", first["session_uuid"])]
            )
            self.assertEqual(
                set(session.dtc_ids.mapped("last_seen")),
                {naive(self.start + timedelta(seconds=30))},
            )
        self.assertEqual(queries[0], queries[1])

    def test_vehicle_counts_sessions_and_shows_the_last_started(self):
        def session_of(vin, started_at, code):
            payload = self.make_payload(
                vin=vin,
                started_at=started_at,
                dtcs=[{"code": code, "status": "stored", "ts": iso(started_at)}],
            )
            return self.Session.browse(self.ingest(payload)["session_id"])

        newest = session_of(VIN_CLIO, self.start, "P0420")
        # received later, but started earlier: not the last diagnostic
        session_of(VIN_CLIO, self.start - timedelta(hours=3), "P0300")
        session_of(VIN_US, self.start - timedelta(hours=1), "P0171")
        vehicles = self.vehicle_a | self.vehicle_b
        vehicles.invalidate_recordset()
        self.assertEqual(vehicles.mapped("atelier_obd_session_count"), [2, 1])
        self.assertEqual(self.vehicle_a.atelier_last_session_id, newest)
        self.assertEqual(self.vehicle_a.atelier_last_diagnostic, naive(self.start))
        self.assertEqual(self.vehicle_a.atelier_open_dtc_ids.mapped("code"), ["P0420"])
        self.assertEqual(self.vehicle_b.atelier_dtc_count, 1)

    def test_only_the_bridge_group_may_ingest(self):
        payload = self.make_payload(started_at=self.start)
        for user in (self.technician, self.manager, self.portal_a):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.ingest(copy.deepcopy(payload), user=user)
        self.assertEqual(self.ingest(payload)["status"], "stored")

    def test_bridge_user_can_do_nothing_else(self):
        self.assertFalse(self.bridge_user._is_internal())
        self.assertFalse(self.bridge_user.has_group("base.group_portal"))
        answer = self.ingest(self.make_payload(started_at=self.start))
        env = self.env(user=self.bridge_user)
        session = env["atelier.obd.session"].browse(answer["session_id"])
        checks = [
            lambda: env["res.partner"].search_read([], ["name"], limit=1),
            lambda: env["res.partner"].browse(self.client_a.id).read(["name"]),
            lambda: env["fleet.vehicle"].search([]),
            lambda: env["fleet.vehicle"].browse(self.vehicle_a.id).read(["vin_sn"]),
            lambda: env["atelier.obd.session"].search([]),
            lambda: session.read(["vin"]),
            lambda: session.write({"note": "hacked"}),
            lambda: session.atelier_chart_data(),
            lambda: env["atelier.obd.batch"].search([]),
            lambda: env["atelier.obd.reading.chunk"].search([]),
            lambda: env["atelier.dtc"].search([]),
            lambda: env["atelier.obd.session"].create(
                {"session_uuid": str(uuid.uuid4()), "started_at": "2026-01-01 00:00:00"}
            ),
        ]
        for index, check in enumerate(checks):
            with self.subTest(check=index), self.assertRaises(AccessError):
                check()
