# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import time
from datetime import datetime, timedelta, timezone

from odoo.tests import TransactionCase, tagged

from .common import ObdDataMixin, iso


@tagged("post_install", "-at_install")
class TestReadings(ObdDataMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_obd_data()
        cls.start = datetime.now(timezone.utc) - timedelta(hours=2)
        Session = cls.env["atelier.obd.session"].with_user(cls.bridge_user)
        first = cls.make_payload(started_at=cls.start)
        # 50,000 readings: 5 PIDs x 10,000, in 10 batches of 5,000
        pids = (
            ("RPM", 800.0, 1.0),
            ("SPEED", 0.0, 1.0),
            ("COOLANT_TEMP", 60.0, 1.0),
            ("ENGINE_LOAD", 10.0, 1.0),
            ("CONTROL_MODULE_VOLTAGE", 12.0, 0.05),
        )
        for batch in range(10):
            readings = []
            for i in range(batch * 1000, (batch + 1) * 1000):
                ts = iso(cls.start + timedelta(milliseconds=100 * i))
                for pid, base, scale in pids:
                    value = base + (i % 50) * scale
                    readings.append({"pid": pid, "ts": ts, "value": value})
            if batch == 7:
                readings[0]["value"] = 6500.0  # one RPM spike
            payload = cls.make_payload(
                session_uuid=first["session_uuid"],
                started_at=cls.start,
                readings=readings,
            )
            answer = Session.ingest(payload)
            assert answer["accepted"] == 5000, answer["rejected"][:3]
        cls.session = cls.env["atelier.obd.session"].browse(answer["session_id"])

    def test_storage_is_compact(self):
        self.assertEqual(self.session.reading_count, 50000)
        self.assertEqual(len(self.session.chunk_ids), 50, "one row per batch and PID")

    def test_chart_of_50000_readings_under_a_second(self):
        self.env.invalidate_all()
        session = self.session.with_user(self.technician)
        began = time.perf_counter()
        data = session.atelier_chart_data()
        elapsed = time.perf_counter() - began
        self.assertLess(elapsed, 1.0, f"chart data took {elapsed:.3f}s")
        series = {serie["pid"]: serie for serie in data["series"]}
        self.assertEqual(
            set(series),
            {"RPM", "SPEED", "COOLANT_TEMP", "ENGINE_LOAD", "CONTROL_MODULE_VOLTAGE"},
        )
        rpm = series["RPM"]["points"]
        self.assertLessEqual(len(rpm), 1000)
        self.assertIn(
            6500.0, [value for _ts, value in rpm], "spikes survive downsampling"
        )
        times = [ts for ts, _value in rpm]
        self.assertEqual(times, sorted(times))
        self.assertEqual(series["RPM"]["unit"], "rpm")

    def test_stats(self):
        stats = {stat["pid"]: stat for stat in self.session._pid_stats()}
        rpm = stats["RPM"]
        self.assertEqual(rpm["count"], 10000)
        self.assertEqual((rpm["min"], rpm["max"]), (800.0, 6500.0))
        speed = stats["SPEED"]
        self.assertAlmostEqual(speed["avg"], 24.5)
        self.assertEqual(stats["COOLANT_TEMP"]["unit"], "°C")

    def test_each_measure_has_its_own_scale(self):
        """The chart used to draw every measure on the RPM axis."""
        data = self.session.with_user(self.technician).atelier_chart_data()
        series = {serie["pid"]: serie for serie in data["series"]}
        rpm, speed, volts = (
            series["RPM"],
            series["SPEED"],
            series["CONTROL_MODULE_VOLTAGE"],
        )
        self.assertEqual(
            (rpm["unit"], speed["unit"], volts["unit"]), ("rpm", "km/h", "V")
        )
        # each scale holds its own data, with a little room
        for serie in series.values():
            values = [value for _ts, value in serie["points"]]
            self.assertLess(serie["y_min"], min(values) + 1e-9, serie["pid"])
            self.assertGreater(serie["y_max"], max(values) - 1e-9, serie["pid"])
        self.assertLess(speed["y_max"], 100, "km/h no longer on a 0-6,500 scale")
        self.assertGreaterEqual(speed["y_min"], 0, "no negative speed")
        self.assertLess(volts["y_max"] - volts["y_min"], 5)
        self.assertGreater(rpm["y_max"], 6500)
        self.assertEqual(
            data["x_min"], min(t for s in series.values() for t, _v in s["points"])
        )
