# SPDX-License-Identifier: GPL-2.0-or-later
import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from obd_bridge.__main__ import EX_CONFIG, main
from obd_bridge.config import Config, ConfigError, PidConfig, load_config
from obd_bridge.outbox import Outbox
from obd_bridge.payload import Reading, SessionInfo, new_uuid

TOML = """
[adapter]
port = "/dev/rfcomm0"
baudrate = 38400
timeout = 0.5

[pids]
RPM = 1
coolant_temp = 10.5

[odoo]
url = "https://odoo.example.com"
db = "atelier"
login = "obd-bridge"
api_key = "file-key-123"
transport = "json2"
timeout = 7

[bridge]
id = "garage-1"
outbox = "/var/lib/obd-bridge/outbox.sqlite3"
batch_max_items = 50
batch_max_age = 5
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_toml_file_is_loaded(tmp_path):
    config = load_config(write(tmp_path, "bridge.toml", TOML), environ={})
    assert config.port == "/dev/rfcomm0"
    assert config.baudrate == 38400
    assert config.adapter_timeout == 0.5
    assert config.pids == (PidConfig("RPM", 1.0), PidConfig("COOLANT_TEMP", 10.5))
    assert config.odoo_url == "https://odoo.example.com"
    assert config.transport == "json2"
    assert config.http_timeout == 7.0
    assert config.outbox_path == Path("/var/lib/obd-bridge/outbox.sqlite3")
    assert (config.batch_max_items, config.batch_max_age) == (50, 5.0)
    assert config.reconnect_max == 60.0  # default


def test_ini_file_uses_the_same_sections(tmp_path):
    ini = (
        "[adapter]\nport = socket://127.0.0.1:35000\nbaudrate = auto\n"
        "[pids]\nRPM = 0.5\nSPEED = 2\n"
        "[odoo]\ndb = atelier\nlogin = bridge\napi_key = k\n"
        "[bridge]\nid = g1\noutbox = /tmp/o.sqlite3\n"
    )
    config = load_config(write(tmp_path, "bridge.ini", ini), environ={})
    assert config.port == "socket://127.0.0.1:35000"
    assert config.baudrate is None  # "auto": python-OBD probes
    assert [p.name for p in config.pids] == ["RPM", "SPEED"]
    assert config.transport == "xmlrpc"


def test_environment_overrides_the_file(tmp_path):
    env = {
        "OBD_BRIDGE_ODOO_URL": "http://10.0.0.5:8069",
        "OBD_BRIDGE_API_KEY": "env-key",
        "OBD_BRIDGE_PORT": "socket://127.0.0.1:35000",
        "OBD_BRIDGE_PIDS": "SPEED=0.25, FUEL_LEVEL=60",
        "OBD_BRIDGE_TRANSPORT": "xmlrpc",
        "OBD_BRIDGE_BATCH_MAX_ITEMS": "9",
        "OBD_BRIDGE_CONFIG": str(write(tmp_path, "bridge.toml", TOML)),
    }
    config = load_config(None, environ=env)  # path taken from OBD_BRIDGE_CONFIG
    assert config.odoo_url == "http://10.0.0.5:8069"
    assert config.api_key == "env-key"
    assert config.port == "socket://127.0.0.1:35000"
    assert config.pids == (PidConfig("SPEED", 0.25), PidConfig("FUEL_LEVEL", 60.0))
    assert config.transport == "xmlrpc"
    assert config.batch_max_items == 9
    assert config.odoo_db == "atelier"  # from the file


def test_config_is_frozen_and_hides_the_key(make_config):
    config = make_config(api_key="super-secret-value")
    assert "super-secret-value" not in repr(config)
    assert "super-secret-value" not in str(config)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.port = "/dev/ttyUSB0"
    assert isinstance(config, Config)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"port": ""}, "adapter.port (OBD_BRIDGE_PORT) is required"),
        ({"api_key": ""}, "OBD_BRIDGE_API_KEY) is required"),
        ({"odoo_url": "localhost:8069"}, "expected http(s)://host"),
        ({"transport": "soap"}, "must be one of xmlrpc, json2"),
        ({"odoo_login": ""}, "required for XML-RPC"),
        ({"pids": "RPM"}, "expected NAME=SECONDS"),
        ({"pids": "RPM=0"}, "polling rate of RPM must be > 0"),
        ({"pids": "RPM=fast"}, "polling rate of RPM must be a float"),
        ({"pids": "rpm-1=1"}, "is not a python-OBD command"),
        ({"pids": ""}, "at least one PID"),
        ({"batch_max_items": "0"}, "must be 1..10000"),
        ({"batch_max_items": "many"}, "must be a int"),
        ({"http_timeout": "-1"}, "must be > 0"),
        ({"baudrate": "fast"}, "must be a int"),
        ({"protocol": "Z"}, "must be 1..9 or A"),
        ({"check_voltage": "perhaps"}, "must be true or false"),
        ({"reconnect_initial": "90"}, "must not exceed"),
        ({"max_silent": "0"}, "adapter.max_silent (OBD_BRIDGE_MAX_SILENT): must be 1"),
        (
            {"stale_after": "0"},
            "adapter.stale_after (OBD_BRIDGE_STALE_AFTER): must be >",
        ),
        ({"status_interval": "-5"}, "(OBD_BRIDGE_STATUS_INTERVAL): must be > 0"),
        ({"status_interval": "often"}, "must be a float"),
    ],
)
def test_invalid_values_are_refused_clearly(make_config, overrides, message):
    with pytest.raises(ConfigError) as info:
        make_config(**overrides)
    assert message in str(info.value)


def test_watchdog_and_status_settings(tmp_path, make_config):
    defaults = make_config()
    assert (defaults.max_silent, defaults.stale_after) == (3, 30.0)
    assert defaults.status_interval == 60.0
    text = TOML.replace("timeout = 0.5\n", "timeout = 0.5\nmax_silent = 5\n")
    text = text.replace(
        "batch_max_age = 5\n", "batch_max_age = 5\nstatus_interval = 15\n"
    )
    config = load_config(
        write(tmp_path, "w.toml", text), environ={"OBD_BRIDGE_STALE_AFTER": "12.5"}
    )
    assert (config.max_silent, config.stale_after) == (5, 12.5)
    assert config.status_interval == 15.0


def test_json2_needs_no_login(make_config):
    config = make_config(transport="json2", odoo_login="")
    assert config.transport == "json2"
    assert config.odoo_login == ""


def test_unknown_file_keys_and_bad_files_are_refused(tmp_path):
    with pytest.raises(ConfigError, match=r"unknown setting odoo\.pasword"):
        load_config(write(tmp_path, "a.toml", '[odoo]\npasword = "x"\n'), environ={})
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(write(tmp_path, "b.toml", "[odoo\n"), environ={})
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_config(tmp_path / "missing.toml", environ={})


def test_main_exits_78_on_bad_configuration(tmp_path, monkeypatch, capsys):
    for key in list(os.environ):
        if key.startswith("OBD_BRIDGE_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("OBD_BRIDGE_TRANSPORT", "carrier-pigeon")
    assert main(["status", "-c", str(write(tmp_path, "b.toml", TOML))]) == EX_CONFIG
    assert "must be one of xmlrpc, json2" in capsys.readouterr().err


def test_main_exits_78_on_an_unknown_pid(make_config, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("OBD_BRIDGE_PIDS", "RPM=1,WARP_DRIVE=1")
    assert main(["status", "-c", str(write(tmp_path, "b.toml", TOML))]) == EX_CONFIG
    assert "not python-OBD commands: WARP_DRIVE" in capsys.readouterr().err


def test_console_script_exits_78_as_a_process(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OBD_BRIDGE_")}
    env["OBD_BRIDGE_CONFIG"] = str(write(tmp_path, "bad.toml", "[adapter]\nport = 3\n"))
    proc = subprocess.run(
        [sys.executable, "-m", "obd_bridge", "run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 78, proc.stderr
    assert "is required" in proc.stderr


def test_run_exits_78_when_the_outbox_cannot_be_written(tmp_path, monkeypatch, capsys):
    for key in list(os.environ):
        if key.startswith("OBD_BRIDGE_"):
            monkeypatch.delenv(key)
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the outbox directory should be")
    monkeypatch.setenv("OBD_BRIDGE_OUTBOX", str(blocker / "outbox.sqlite3"))
    assert main(["run", "-c", str(write(tmp_path, "b.toml", TOML))]) == EX_CONFIG
    err = capsys.readouterr().err
    assert "bridge.outbox (OBD_BRIDGE_OUTBOX): cannot write" in err
    assert "cannot open the file" in err
    assert str(blocker) in err


def test_status_prints_the_outbox_counts_and_the_oldest_batch(
    tmp_path, monkeypatch, capsys
):
    for key in list(os.environ):
        if key.startswith("OBD_BRIDGE_"):
            monkeypatch.delenv(key)
    path = tmp_path / "outbox.sqlite3"
    monkeypatch.setenv("OBD_BRIDGE_OUTBOX", str(path))
    session = SessionInfo("garage-1", new_uuid(), "2026-11-21T09:00:00.000Z")
    now = [1795251601.25]
    with Outbox(path, max_items=2, clock=lambda: now[0]) as box:
        box.append(session, [Reading("RPM", now[0], 800.0 + i) for i in range(2)])
        now[0] += 5
        box.append(session, [Reading("RPM", now[0], 900.0)])  # the open batch
        (parked,) = box.pending()
        box.park(parked.batch_uuid, "HTTP 422: bad VIN")
    capsys.readouterr()
    assert main(["status", "-c", str(write(tmp_path, "b.toml", TOML))]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status == {
        "outbox": str(path),
        "open": 1,
        "open_items": 1,
        "pending": 0,
        "parked": 1,
        "oldest": "2026-11-21T09:00:06.250Z",  # the open batch, not the parked one
        "parked_batches": [
            {"batch_uuid": parked.batch_uuid, "last_error": "HTTP 422: bad VIN"}
        ],
    }


def test_the_example_file_is_valid():
    example = Path(__file__).resolve().parent.parent / "obd-bridge.example.toml"
    config = load_config(example, environ={})
    assert config.bridge_id == "garage-1"
    assert len(config.pids) == 9
    assert config.pids[0] == PidConfig("RPM", 1.0)
