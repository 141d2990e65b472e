# SPDX-License-Identifier: GPL-2.0-or-later
"""The reader: pure conversions, a fake python-OBD connection for what an ELM327
cannot be made to send (NaN, a decoder crash), and the real python-OBD over TCP
against the elmulator ELM327 emulator for everything else."""

import math
import time
import types
import typing

import obd
import pytest

from bridge_testkit import Emulator, car_scenario, command, free_port
from obd_bridge.config import PidConfig
from obd_bridge.reader import (
    AdapterDisconnected,
    Reader,
    Watchdog,
    check_messages,
    decode_vin,
    dtc_codes,
    to_reading,
    unknown_pid_names,
)

RPM_0C80 = bytes([0x0C, 0x80])  # (12*256+128)/4 = 800 rpm


def clocked_reader(port: str, pids: dict[str, float], **kwargs):
    """A Reader polling ``pids`` (name -> seconds) on a clock the test moves by
    hand: returns ``(reader, now)``, ``now[0]`` being the monotonic time."""
    now = [0.0]
    configs = [PidConfig(name, interval) for name, interval in pids.items()]
    return Reader(port, configs, monotonic=lambda: now[0], **kwargs), now


# -- pure functions -------------------------------------------------------------
def test_pint_quantities_become_float_and_unit():
    U = obd.Unit
    cases = [
        (U.Quantity(812, U.rpm), 812.0, "rpm"),
        (U.Quantity(50, U.kph), 50.0, "km/h"),
        (U.Quantity(83, U.celsius), 83.0, "°C"),
        (U.Quantity(24.7, U.percent), 24.7, "%"),
        (U.Quantity(12.5, U.volt), 12.5, "V"),
        (U.Quantity(3.5, U.grams_per_second), 3.5, "g/s"),
        (U.Quantity(101, U.kilopascal), 101.0, "kPa"),
        (7, 7.0, ""),
    ]
    for value, number, unit in cases:
        reading = to_reading("X", value, 1.8e9)
        assert (reading.value, reading.unit) == (number, unit)
        assert type(reading.value) is float


@pytest.mark.parametrize(
    "garbage",
    [
        None,
        float("nan"),
        float("inf"),
        obd.Unit.Quantity(float("nan"), obd.Unit.rpm),
        "NO DATA",
        b"\x41\x0c",
        True,
        ("P0301", "misfire"),
        [1, 0, 1],
    ],
)
def test_garbage_values_are_dropped_with_a_log_line(garbage, caplog):
    caplog.set_level("INFO", logger="obd_bridge.reader")
    assert to_reading("RPM", garbage, 1.8e9) is None
    assert "RPM" in caplog.text and "dropped" in caplog.text


def test_vin_decoding_does_not_lose_edge_characters():
    # python-OBD 0.7.3's own decoder strips '0', '1', '2' from both ends
    data = b"\x49\x02\x01" + b"1HGCM82633A004352"
    assert decode_vin(bytearray(data)) == "1HGCM82633A004352"
    assert decode_vin(b"\x49\x02\x01\x00\x00\x00" + b"WVWZZZ1JZXW000120") == (
        "WVWZZZ1JZXW000120"
    )
    assert decode_vin(b"\x49\x02\x01" + b"TOO-SHORT") is None
    assert (
        decode_vin(b"\x49\x02\x01" + b"VF1RFB00I12345678") is None
    )  # I is not a VIN letter
    assert decode_vin(None) is None


def test_trouble_code_values():
    assert dtc_codes([("P0301", "Misfire"), ("P0420", ""), ("P0301", "")]) == [
        "P0301",
        "P0420",
    ]
    assert dtc_codes(("P0171", "System Too Lean")) == ["P0171"]  # FREEZE_DTC shape
    assert dtc_codes([("XYZ", ""), ("P0000", "")]) == []
    assert dtc_codes(None) == []


def test_pid_names_are_checked_against_python_obd():
    assert unknown_pid_names(["RPM", "COOLANT_TEMP", "WARP_DRIVE"]) == ["WARP_DRIVE"]


# -- a fake python-OBD connection (python-OBD's own tests fake the ELM too) ------
class FakeOBD:
    """Stands in for ``obd.OBD``: answers from a script, may lose the car.

    An answer is the data bytes of the ECU's message, ``None`` for NO DATA,
    ``"SILENT"`` for an adapter that sends nothing back, ``"UNPLUG"`` for a lost
    link, or an exception python-OBD lets through (its protocol parser on
    garbage)."""

    answers: typing.ClassVar[dict] = {}
    status_value = obd.OBDStatus.CAR_CONNECTED

    def __init__(self, portstr, **kwargs):
        self.kwargs = kwargs
        self._status = self.status_value
        self.closed = False
        self.port = types.SimpleNamespace(timeout=10)  # python-OBD's fixed one
        self.interface = types.SimpleNamespace(_ELM327__port=self.port)

    def status(self):
        return self._status

    def supports(self, cmd):
        return cmd.name in self.answers or cmd in obd.commands.base_commands()

    def protocol_name(self):
        return "FAKE"

    def query(self, cmd, force=False):
        answer = self.answers.get(cmd.name, [None])
        value = answer.pop(0) if len(answer) > 1 else answer[0]
        if isinstance(value, Exception):
            raise value
        if value == "UNPLUG":
            self._status = obd.OBDStatus.NOT_CONNECTED
            return obd.OBDResponse()
        if value == "SILENT":
            return obd.OBDResponse()
        if value is None:  # NO DATA: a line, but no message from an ECU
            return cmd([])
        message = obd.protocols.protocol.Message([])
        message.data = bytearray(value)
        message.ecu = obd.ECU.ENGINE
        return cmd([message])

    def close(self):
        self.closed = True


@pytest.fixture
def fake_obd(monkeypatch):
    monkeypatch.setattr(obd, "OBD", FakeOBD)
    FakeOBD.answers = {}
    FakeOBD.status_value = obd.OBDStatus.CAR_CONNECTED
    return FakeOBD


def test_decoder_errors_and_no_data_never_crash_the_poll(fake_obd, caplog):
    caplog.set_level("INFO", logger="obd_bridge.reader")
    fake_obd.answers = {
        "RPM": [IndexError("bad frame"), b"\x41\x0c\x0e\x10"],
        "SPEED": [None],
    }
    reader, now = clocked_reader("fake", {"RPM": 1, "SPEED": 1})
    reader.open()
    got = []
    for _ in range(3):
        got += reader.poll_due()
        now[0] += 1
    assert [(r.pid, r.value) for r in got] == [("RPM", 900.0), ("RPM", 900.0)]
    assert "unparsable answer (bad frame)" in caplog.text
    assert "SPEED: no data from the adapter, dropped" in caplog.text
    assert reader.dropped == 1  # the unparsable one; NO DATA is not an answer
    reader.close()


def test_the_read_timeout_of_queries_is_ours(fake_obd):
    reader = Reader("fake", [PidConfig("RPM", 1)], timeout=0.25)
    reader.open()
    assert reader._conn.kwargs["timeout"] == 0.25  # python-OBD's (baud probing)
    assert reader._conn.port.timeout == 0.25  # and the port's, for every query


def test_raw_messages_are_checked_before_decoding():
    rpm, vin = obd.commands.RPM, obd.commands.VIN

    def message(data):
        msg = obd.protocols.protocol.Message([])
        msg.data = bytearray(data)
        return msg

    cases = [
        (rpm, b"\x41\x0c\x0c\x80", None),
        (rpm, b"\x7f\x01\x12", "negative response 7f 01 12 (sub-function not"),
        (rpm, b"\x7f\x01\x31", "(request out of range)"),
        (rpm, b"\x7f\x01", "negative response 7f 01 (no code)"),
        (rpm, b"\x41\x0c\x0c", "short frame 41 0c 0c (3 of 4 bytes)"),
        (rpm, b"\x41\x0d\x32\x00", "answer for PID 0D, not 0C"),
        (rpm, b"\x43\x01\x03\x01", "answer to service 43, not 41"),
        (rpm, b"", "empty frame"),
        (vin, b"\x49\x02\x01" + b"VF1RFB00X12345678", None),  # CAN: 20 of 22
        (obd.commands.GET_DTC, b"\x7f\x03\x11", "(service not supported)"),
    ]
    for cmd, data, problem in cases:
        good, problems = check_messages(cmd, [message(data)])
        if problem is None:
            assert len(good) == 1 and problems == [], data
        else:
            assert good == [] and len(problems) == 1, data
            assert problem in problems[0][1], problems
    # several ECUs: the good answer is kept, the negative one dropped
    good, problems = check_messages(
        rpm, [message(b"\x7f\x01\x12"), message(b"\x41\x0c\x0c\x80")]
    )
    assert [bytes(m.data) for m in good] == [b"\x41\x0c\x0c\x80"]
    assert [kind for kind, _text in problems] == ["negative"]


def test_watchdog_silent_adapter_raises_after_max_silent_queries(fake_obd):
    fake_obd.answers = {
        "RPM": [b"\x41\x0c\x0c\x80", "SILENT", "SILENT", "SILENT"],
        "SPEED": [b"\x41\x0d\x32", "SILENT"],
    }
    reader, now = clocked_reader("fake", {"RPM": 1, "SPEED": 1}, max_silent=3)
    reader.open()
    assert len(reader.poll_due()) == 2
    assert reader.valid_answers == 2
    now[0] += 1
    assert reader.poll_due() == []  # two silent queries: not yet
    now[0] += 1
    with pytest.raises(AdapterDisconnected, match="3 queries in a row got no answer"):
        reader.poll_due()
    assert reader._conn.status() == obd.OBDStatus.CAR_CONNECTED  # python-OBD: fine


def test_watchdog_no_valid_answer_for_stale_after_seconds(fake_obd, caplog):
    # the adapter answers (NO DATA, a negative response) but the car gives nothing
    fake_obd.answers = {"RPM": [b"\x41\x0c\x0c\x80", None, b"\x7f\x01\x22"]}
    reader, now = clocked_reader("fake", {"RPM": 1}, stale_after=10)
    reader.open()
    assert [r.value for r in reader.poll_due()] == [800.0]
    for _ in range(10):
        now[0] += 1
        assert reader.poll_due() == []
    now[0] += 1
    with pytest.raises(
        AdapterDisconnected, match="no valid answer from the car for 11s"
    ):
        reader.poll_due()
    # one warning for the negative responses, the repeats at debug level
    assert caplog.text.count("negative response 7f 01 22 (conditions not") == 1
    assert reader.dropped == 10


def test_watchdog_allows_twice_the_slowest_needed_polling_rate(fake_obd):
    fake_obd.answers = {"FUEL_LEVEL": [None]}
    reader, now = clocked_reader("fake", {"FUEL_LEVEL": 60}, stale_after=10)
    reader.open()
    for moment in (0, 60, 120):  # 120 s without a value: not more than 2 x 60 s
        now[0] = moment
        assert reader.poll_due() == []
    now[0] = 180
    with pytest.raises(AdapterDisconnected, match="for 180s"):
        reader.poll_due()


def test_watchdog_unit():
    now = [0.0]
    dog = Watchdog(max_silent=2, stale_after=5, monotonic=lambda: now[0])
    dog.unanswered()
    assert dog.verdict() is None
    dog.answered(valid=False)  # NO DATA resets the silence, not the staleness
    dog.unanswered()
    assert dog.verdict() is None
    dog.unanswered()
    assert "2 queries in a row" in dog.verdict()
    dog.restart()
    now[0] = 5
    assert dog.verdict() is None
    now[0] = 5.5
    assert "for 6s" in dog.verdict()  # rounded
    dog.answered(valid=True)
    assert dog.verdict() is None and dog.valid == 1


def test_losing_the_car_mid_poll_raises(fake_obd):
    fake_obd.answers = {"RPM": [b"\x41\x0c\x0e\x10", "UNPLUG"]}
    reader, now = clocked_reader("fake", {"RPM": 1})
    reader.open()
    assert len(reader.poll_due()) == 1
    now[0] += 1
    with pytest.raises(AdapterDisconnected, match="Not Connected"):
        reader.poll_due()


def test_a_car_with_none_of_the_pids_is_still_watched(fake_obd):
    fake_obd.answers = {"PIDS_A": ["UNPLUG"]}  # 01 00 is how the link is checked
    reader, now = clocked_reader("fake", {"FUEL_LEVEL": 1})
    reader.open()
    assert reader.polled == []
    assert reader.poll_due() == []
    assert reader.next_due() == 5.0
    now[0] = 5.0
    with pytest.raises(AdapterDisconnected):
        reader.poll_due()


def test_adapter_without_car_is_not_a_session(fake_obd):
    fake_obd.status_value = obd.OBDStatus.OBD_CONNECTED  # ignition off
    with pytest.raises(AdapterDisconnected, match="no car connected"):
        Reader("fake", [PidConfig("RPM", 1)]).open()


# -- the real python-OBD against the elmulator ELM327 emulator ----------------------
PIDS = {
    "RPM": 1,
    "SPEED": 2,
    "COOLANT_TEMP": 10,
    "CONTROL_MODULE_VOLTAGE": 10,
    "ENGINE_LOAD": 2,
    "FUEL_LEVEL": 60,  # not supported by this car
}


@pytest.fixture(scope="module")
def car(tmp_path_factory):
    scenario = car_scenario(
        "reader_car",
        vin="1HGCM82633A004352",
        pids={
            0x0C: [
                RPM_0C80,
                bytes([0x0D, 0x00]),  # 832 rpm
                "NO DATA",
                "7E8 04 41 0C ZZ QQ",
                "?",
                "CAN ERROR",
                bytes([0x0E, 0x10]),  # 900 rpm
            ],
            0x0D: [b"\x32"],
            0x05: [b"\x7b"],
            0x42: [b"\x30\xd4"],
            0x04: [b"\x3f"],
        },
        stored=("P0301", "P0420", "C0035"),  # 3 codes: a multi-frame answer
        pending=("P0171",),
        permanent=("P0420",),
        freeze="P0301",
    )
    emulator = Emulator(scenario, tmp_path_factory.mktemp("elm")).start()
    yield emulator
    emulator.kill()


@pytest.fixture(scope="module")
def session(car):
    """One connection for the read tests (python-OBD needs ~3 s to connect)."""
    reader, now = clocked_reader(car.url, PIDS, timeout=0.5)
    info = reader.open()
    yield reader, info, now
    reader.close()


def test_open_reads_vin_adapter_and_protocol(session):
    reader, info, _now = session
    assert info.vin == "1HGCM82633A004352"
    assert info.adapter == "ELM327 v1.5"
    assert info.protocol == "ISO 15765-4 (CAN 11/500)"
    # FUEL_LEVEL is not in the car's 01 00 / 01 20 / 01 40 masks: not polled
    assert reader.polled == [
        "RPM",
        "SPEED",
        "COOLANT_TEMP",
        "CONTROL_MODULE_VOLTAGE",
        "ENGINE_LOAD",
    ]


def test_reads_stored_pending_permanent_and_freeze_frame_codes(session):
    reader, _info, _now = session
    dtcs = reader.read_dtcs()
    assert [(d.code, d.status) for d in dtcs] == [
        ("P0301", "stored"),
        ("P0420", "stored"),
        ("C0035", "stored"),
        ("P0171", "pending"),
        ("P0420", "permanent"),
    ]
    assert all(abs(d.ts - time.time()) < 60 for d in dtcs)


def test_each_pid_at_its_own_rate_and_garbage_dropped(session, car):
    reader, _info, now = session
    first = {r.pid: (r.value, r.unit) for r in reader.poll_due()}  # all due at once
    assert first["RPM"] == (800.0, "rpm")
    assert first["SPEED"] == (50.0, "km/h")
    assert first["COOLANT_TEMP"] == (83.0, "°C")
    assert first["CONTROL_MODULE_VOLTAGE"] == (12.5, "V")
    load, unit = first["ENGINE_LOAD"]
    assert math.isclose(load, 63 * 100 / 255) and unit == "%"
    assert len(first) == 5
    polled = []
    for _ in range(6):  # six more seconds
        now[0] += 1
        polled += reader.poll_due()
    # RPM every second: NO DATA, bad hex, '?' and CAN ERROR gave nothing
    assert [r.value for r in polled if r.pid == "RPM"] == [832.0, 900.0]
    assert len([r for r in polled if r.pid == "SPEED"]) == 3  # every 2 s
    assert [r for r in polled if r.pid == "COOLANT_TEMP"] == []  # every 10 s
    assert car.transcript().count("'0105' ->") == 1
    assert car.transcript().count("'010C' ->") == 7


def test_scripted_adapter_disconnect_raises(tmp_path):
    """elmulator's post_action "disconnect": the adapter hangs up on the 2nd 01 0D."""
    scenario = car_scenario(
        "drop_car",
        pids={0x0D: [b"\x32"]},
        extra=[{"request": "010D", "response_chunks": [], "post_action": "disconnect"}],
    )
    emulator = Emulator(scenario, tmp_path).start()
    try:
        reader, now = clocked_reader(emulator.url, {"SPEED": 1}, timeout=0.5)
        reader.open()
        assert [r.value for r in reader.poll_due()] == [50.0]
        now[0] += 1
        with pytest.raises(AdapterDisconnected):
            reader.poll_due()
        reader.close()
    finally:
        emulator.kill()


def test_killed_emulator_raises_and_nothing_listening_fails_fast(tmp_path):
    emulator = Emulator(car_scenario("kill_car", pids={0x0C: [RPM_0C80]}), tmp_path)
    emulator.start()
    reader, now = clocked_reader(emulator.url, {"RPM": 1}, timeout=0.5)
    reader.open()
    assert [r.value for r in reader.poll_due()] == [800.0]
    emulator.kill()  # the adapter is unplugged
    now[0] += 1
    with pytest.raises(AdapterDisconnected):
        reader.poll_due()
    reader.close()
    started = time.monotonic()
    with pytest.raises(AdapterDisconnected):
        Reader(f"socket://127.0.0.1:{free_port()}", [PidConfig("RPM", 1)]).open()
    assert time.monotonic() - started < 5


def test_ignition_off_is_not_a_session(tmp_path):
    scenario = car_scenario("ignition_off")
    scenario["commands"] = [
        c for c in scenario["commands"] if not c["request"].startswith("01")
    ] + [command("0100", ["SEARCHING...", "UNABLE TO CONNECT"])]
    emulator = Emulator(scenario, tmp_path).start()
    try:
        with pytest.raises(AdapterDisconnected, match="no car connected"):
            Reader(emulator.url, [PidConfig("RPM", 1)], timeout=0.5).open()
    finally:
        emulator.kill()


def test_negative_responses_and_short_frames_are_not_readings(tmp_path, caplog):
    """What python-OBD makes of an ECU's refusals, and what the bridge keeps."""
    negative = "7E8 03 7F 01 12"  # service 01: sub-function not supported
    scenario = car_scenario(
        "refusing_car",
        vin="VF1RFB00X12345678",
        pids={
            0x0C: [negative, negative, bytes([0x0C, 0x80])],
            0x05: [negative, negative, "7E8 02 41 05", b"\x7b"],
            0x0D: ["7E8 03 41 0C 32", "7E8 03 41 0C 32", b"\x32"],  # wrong PID
        },
        stored=("P0301",),
    )
    scenario["commands"] = [c for c in scenario["commands"] if c["request"] != "0A"]
    scenario["commands"].append(command("0A", "7E8 03 7F 0A 11"))  # no mode 0A
    emulator = Emulator(scenario, tmp_path).start()
    try:
        # python-OBD alone (the same emulator: each connection starts the script
        # again) turns the refusals into plausible values
        conn = obd.OBD(emulator.url, fast=False, timeout=0.5)
        assert conn.query(obd.commands.RPM).value.magnitude == 1152
        assert conn.query(obd.commands.COOLANT_TEMP).value.magnitude == -22
        conn.close()

        pids = {"RPM": 1, "COOLANT_TEMP": 1, "SPEED": 1}
        reader, now = clocked_reader(emulator.url, pids, timeout=0.5)
        reader.open()
        assert [(d.code, d.status) for d in reader.read_dtcs()] == [("P0301", "stored")]
        polls = []
        for _ in range(4):
            polls.append(sorted((r.pid, r.value) for r in reader.poll_due()))
            now[0] += 1
        reader.close()
    finally:
        emulator.kill()
    assert polls == [
        [],  # RPM refused (1152 rpm), COOLANT refused (-22 °C), SPEED for 0C
        [],  # the same again
        [("RPM", 800.0), ("SPEED", 50.0)],  # COOLANT short (-40 °C)
        [("COOLANT_TEMP", 83.0), ("RPM", 800.0), ("SPEED", 50.0)],
    ]
    text = caplog.text
    assert "RPM: negative response 7f 01 12 (sub-function not supported)" in text
    assert "COOLANT_TEMP: short frame 41 05 (2 of 3 bytes)" in text
    assert "SPEED: answer for PID 0C, not 0D" in text
    assert "GET_PERMANENT_DTC: negative response 7f 0a 11 (service not" in text


def test_silent_adapter_is_disconnected_by_the_watchdog(tmp_path):
    """The adapter keeps the link open but stops answering: python-OBD still says
    Car Connected, and would wait 10 s per read (~110 s per query)."""
    scenario = car_scenario(
        "silent_car",
        pids={0x0C: [RPM_0C80]},
        extra=[command("010C", [], post_action="stall")],
    )
    scenario["commands"][-1]["response_chunks"] = []
    emulator = Emulator(scenario, tmp_path).start()
    try:
        reader = Reader(
            emulator.url, [PidConfig("RPM", 0.01)], timeout=0.05, max_silent=2
        )
        reader.open()
        assert [r.value for r in reader.poll_due()] == [800.0]
        time.sleep(0.02)
        started = time.monotonic()
        assert reader.poll_due() == []  # first silent query
        time.sleep(0.02)
        with pytest.raises(AdapterDisconnected, match="2 queries in a row"):
            reader.poll_due()
        elapsed = time.monotonic() - started
        assert reader._conn.status() == obd.OBDStatus.CAR_CONNECTED
        reader.close()
        # python-OBD reads 11 times per silent query: 2 x (11 x 0.05 s + 1 s);
        # with its own 10 s read timeout this would take ~220 s
        assert elapsed < 5, elapsed
    finally:
        emulator.kill()
