# SPDX-License-Identifier: GPL-2.0-or-later
"""The module boundaries of STYLE.md, checked."""

import re
import subprocess
import sys
from pathlib import Path

import obd_bridge
from obd_bridge.__main__ import EX_CONFIG
from obd_bridge.config import _KEYS, CONFIG_ENV, ENV_PREFIX, load_config

SRC = Path(obd_bridge.__file__).parent


def imports(module: str) -> set[str]:
    text = (SRC / f"{module}.py").read_text(encoding="utf-8")
    found = re.findall(r"^\s*(?:from|import)\s+([\w.]+)", text, re.MULTILINE)
    return set(found)


def test_only_reader_imports_python_obd_and_only_lazily():
    modules = [p.stem for p in SRC.glob("*.py")]
    users = {m for m in modules if any(n.split(".")[0] == "obd" for n in imports(m))}
    assert users == {"reader"}
    code = (
        "import sys, obd_bridge.__main__, obd_bridge.reader, obd_bridge.runner;"
        "print('obd' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_only_transport_speaks_http():
    def speaks_http(module):
        return any(
            name.split(".")[0] in ("xmlrpc", "http", "socket", "requests")
            or name in ("urllib.request", "urllib.error")
            for name in imports(module)
        )

    modules = [p.stem for p in SRC.glob("*.py")]
    assert {m for m in modules if speaks_http(m)} == {"transport"}


# -- packaging: the systemd unit, the Dockerfile and the compose service ------------
ROOT = Path(__file__).resolve().parent.parent  # obd_bridge/
KNOWN_VARIABLES = {ENV_PREFIX + env for _s, _k, env, _t in _KEYS.values()} | {
    CONFIG_ENV,
    "OBD_BRIDGE_LOG_LEVEL",
}


def unit_settings(text: str) -> dict[str, list[str]]:
    """systemd's format: repeated keys accumulate."""
    settings: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";", "[")):
            key, _sep, value = line.partition("=")
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def test_systemd_unit():
    unit = unit_settings((ROOT / "packaging" / "obd-bridge.service").read_text())
    one = {key: values[-1] for key, values in unit.items()}
    assert one["User"] == "obd-bridge"
    assert one["ExecStart"].endswith("/obd-bridge run")
    assert one["Restart"] == "on-failure"
    assert one["RestartPreventExitStatus"] == str(EX_CONFIG) == "78"
    assert one["KillSignal"] == "SIGTERM"
    assert int(one["TimeoutStopSec"]) >= 30
    assert one["EnvironmentFile"] == "/etc/obd-bridge/env"
    assert one["StateDirectory"] == "obd-bridge"
    assert "OBD_BRIDGE_OUTBOX=/var/lib/obd-bridge/outbox.sqlite3" in unit["Environment"]
    for key, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "CapabilityBoundingSet": "",
        "DevicePolicy": "closed",
    }.items():
        assert one[key] == value, key
    assert "char-ttyUSB rw" in unit["DeviceAllow"]
    assert "char-rfcomm rw" in unit["DeviceAllow"]
    env = unit_settings((ROOT / "packaging" / "env.example").read_text())
    assert set(env) <= KNOWN_VARIABLES


def dockerfile_env(text: str) -> dict[str, str]:
    joined = re.sub(r"\\\n\s*", " ", text)
    env = {}
    for line in joined.splitlines():
        if line.startswith("ENV "):
            for name, value in re.findall(r"(\w+)=(\S+)", line[4:]):
                env[name] = value
    return env


def test_dockerfile_and_the_compose_service_make_a_valid_configuration():
    text = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11-slim" in text.splitlines()
    user = re.search(r"^USER (\S+)$", text, re.MULTILINE).group(1)
    assert user not in ("root", "0")
    env = dockerfile_env(text)
    outbox_dir = str(Path(env["OBD_BRIDGE_OUTBOX"]).parent)
    assert f'VOLUME ["{outbox_dir}"]' in text
    assert re.search(r'^CMD \["run"\]$', text, re.MULTILINE)
    assert "STOPSIGNAL SIGTERM" in text

    # the commented obd-bridge service of docker/docker-compose.yml
    compose = (ROOT.parent / "docker" / "docker-compose.yml").read_text()
    service = compose.split("# obd-bridge:", 1)[1].split("\nvolumes:", 1)[0]
    assert "context: ../obd_bridge" in service
    compose_env = dict(
        re.findall(r"^\s*#\s+(OBD_BRIDGE_\w+):\s*(\S+)", service, re.MULTILINE)
    )
    assert {
        "OBD_BRIDGE_ODOO_URL",
        "OBD_BRIDGE_ODOO_DB",
        "OBD_BRIDGE_ODOO_LOGIN",
        "OBD_BRIDGE_API_KEY",
        "OBD_BRIDGE_PORT",
        "OBD_BRIDGE_OUTBOX",
    } <= set(compose_env)
    bridge_env = {k for k in env if k.startswith(ENV_PREFIX)}
    assert set(compose_env) | bridge_env <= KNOWN_VARIABLES
    assert compose_env["OBD_BRIDGE_OUTBOX"] == env["OBD_BRIDGE_OUTBOX"]
    assert f"obd-outbox:{outbox_dir}" in service
    # what the container gets: the image's defaults, then the compose file's
    environ = {**env, **compose_env, "OBD_BRIDGE_API_KEY": "from-docker-env"}
    config = load_config(None, environ=environ)
    assert config.odoo_url == "http://odoo:8069"
    assert config.bridge_id == compose_env.get("OBD_BRIDGE_ID", env["OBD_BRIDGE_ID"])
    assert config.transport == compose_env.get("OBD_BRIDGE_TRANSPORT", "xmlrpc")
