# SPDX-License-Identifier: GPL-2.0-or-later
"""End-to-end fixtures: a real Odoo 19 with ``atelier_fleet_obd`` on a fresh
database, served by ``odoo-bin`` in a child process, and the bridge's user.

- ``odoo`` (session): installs ``atelier_fleet_obd`` on a new database
  (``odoo-bin -i … --stop-after-init``), provisions the bridge's technical user
  (only the *OBD bridge* group) and its API key in an ``odoo-bin shell``, serves
  the database (``--workers=0``, a free port, ``/web/health`` polled), and drops
  the database at the end. It can be stopped and started again on the same port.
- Nothing is mocked and nothing is skipped: without Odoo (``ODOO_SRC``), its
  addons path or PostgreSQL, the tests fail and say what is missing.

Environment (as set by ``scripts/test.sh``): ``ODOO_SRC`` (default
/opt/odoo/19.0), ``ATELIER_ODOO_ADDONS_PATH`` (comma separated) and
``ATELIER_ODOO_CONF`` (default: the repository's ``odoo.conf``). The Python
running pytest runs Odoo and the bridge.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import xmlrpc.client
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "obd_bridge" / "tests"))  # bridge_testkit

from bridge_testkit import free_port  # noqa: E402

ODOO_SRC = Path(os.environ.get("ODOO_SRC") or "/opt/odoo/19.0")
ODOO_BIN = ODOO_SRC / "odoo-bin"
ODOO_CONF = Path(os.environ.get("ATELIER_ODOO_CONF") or REPO / "odoo.conf")
BRIDGE_LOGIN = "obd-bridge"
VEHICLE_VIN = "VF1RFB00X12345678"  # registered as a client vehicle
ADMIN = ("admin", "admin")  # a fresh database's administrator

PROVISION = """
from datetime import datetime, timedelta
from odoo import Command

bridge = env["res.users"].with_context(no_reset_password=True).create({
    "name": "OBD bridge (end-to-end tests)",
    "login": LOGIN,
    "group_ids": [Command.set([env.ref("atelier_fleet_obd.group_obd_bridge").id])],
})
key = env["res.users.apikeys"].with_user(bridge)._generate(
    "rpc", "obd bridge e2e", datetime.now() + timedelta(days=30)
)
brand = env["fleet.vehicle.model.brand"].create({"name": "Renault"})
model = env["fleet.vehicle.model"].create({"name": "Clio", "brand_id": brand.id})
owner = env["res.partner"].create({"name": "Taxi Alpha", "is_company": True})
env["fleet.vehicle"].create({
    "model_id": model.id, "vin_sn": VIN, "license_plate": "AB-123-CD",
    "atelier_owner_id": owner.id,
})
env.cr.commit()
print("E2E_BRIDGE_UID=%d" % bridge.id)
print("E2E_BRIDGE_KEY=" + key)
"""


def addons_path() -> str:
    path = os.environ.get("ATELIER_ODOO_ADDONS_PATH")
    if path:
        return path
    oca = Path(sysconfig.get_paths()["purelib"]) / "odoo" / "addons"
    parts = [ODOO_SRC / "addons", ODOO_SRC / "odoo" / "addons", oca, REPO / "addons"]
    return ",".join(str(p) for p in parts)


class OdooServer:
    """``odoo-bin`` serving one database; ``stop()`` / ``start()`` on one port."""

    def __init__(self, db: str, port: int, log: Path):
        self.db = db
        self.port = port
        self.log = log
        self.url = f"http://127.0.0.1:{port}"
        self.login = BRIDGE_LOGIN
        self.vehicle_vin = VEHICLE_VIN
        self.api_key = ""
        self.bridge_uid = 0
        self.proc: subprocess.Popen | None = None

    @staticmethod
    def odoo_bin(command: str | None, *args: str) -> list[str]:
        """``odoo-bin [command] -c <conf> --addons-path=<path> args...``"""
        return [
            sys.executable,
            str(ODOO_BIN),
            *([command] if command else []),
            "-c",
            str(ODOO_CONF),
            f"--addons-path={addons_path()}",
            *args,
        ]

    def server_args(self) -> list[str]:
        return [
            "-d",
            self.db,
            f"--db-filter=^{self.db}$",
            f"--http-port={self.port}",
            "--http-interface=127.0.0.1",
            "--workers=0",
            "--max-cron-threads=0",
            f"--logfile={self.log}",
        ]

    # -- lifecycle
    def install(self) -> None:
        proc = subprocess.run(
            self.odoo_bin(
                None,
                *self.server_args(),
                "-i",
                "atelier_fleet_obd",
                "--stop-after-init",
            ),
            capture_output=True,
            text=True,
            timeout=900,
        )
        if proc.returncode != 0:
            pytest.fail(
                f"installing atelier_fleet_obd failed ({proc.returncode}):\n"
                f"{proc.stderr[-3000:]}\n{self.log_tail()}"
            )

    def provision(self) -> None:
        script = f"LOGIN = {self.login!r}\nVIN = {VEHICLE_VIN!r}\n" + PROVISION
        proc = subprocess.run(
            self.odoo_bin("shell", "-d", self.db, "--no-http", f"--logfile={self.log}"),
            input=script,
            capture_output=True,
            text=True,
            timeout=300,
        )
        values = dict(
            line.split("=", 1)
            for line in proc.stdout.splitlines()
            if line.startswith("E2E_BRIDGE_")
        )
        if proc.returncode != 0 or "E2E_BRIDGE_KEY" not in values:
            pytest.fail(
                f"provisioning the bridge user failed ({proc.returncode}):\n"
                f"{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}\n{self.log_tail()}"
            )
        self.api_key = values["E2E_BRIDGE_KEY"]
        self.bridge_uid = int(values["E2E_BRIDGE_UID"])

    def start(self, timeout: float = 120) -> None:
        assert self.proc is None, "already running"
        self.proc = subprocess.Popen(
            self.odoo_bin(None, *self.server_args()),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read()
                self.proc = None
                pytest.fail(
                    f"odoo-bin exited at start:\n{err[-3000:]}\n{self.log_tail()}"
                )
            with contextlib.suppress(OSError, urllib.error.URLError):
                with urllib.request.urlopen(f"{self.url}/web/health", timeout=2) as r:
                    if r.status == 200:
                        return
            time.sleep(0.3)
        self.stop()
        pytest.fail(f"Odoo did not answer /web/health in {timeout}s\n{self.log_tail()}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """SIGTERM: Odoo's graceful shutdown; SIGKILL: the process dies."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        proc.stderr.close()

    def drop(self) -> None:
        subprocess.run(
            self.odoo_bin("db", "drop", self.db),
            capture_output=True,
            text=True,
            timeout=120,
        )

    # -- what Odoo says
    def log_tail(self, lines: int = 40) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def log_errors(self) -> list[str]:
        """ERROR / CRITICAL lines of the server log (and tracebacks)."""
        if not self.log.exists():
            return []
        return [
            line
            for line in self.log.read_text(errors="replace").splitlines()
            if " ERROR " in line or " CRITICAL " in line or "Traceback" in line
        ]

    def admin(self, model: str, method: str, *args, **kwargs):
        """``execute_kw`` as the administrator over XML-RPC."""
        common = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common")
        uid = common.authenticate(self.db, *ADMIN, {})
        assert uid, "admin/admin must log in on a fresh database"
        proxy = xmlrpc.client.ServerProxy(
            f"{self.url}/xmlrpc/2/object", allow_none=True
        )
        return proxy.execute_kw(
            self.db, uid, ADMIN[1], model, method, list(args), kwargs
        )

    def bridge_env(self, transport: str) -> dict[str, str]:
        """The bridge's configuration for this server, as OBD_BRIDGE_* variables."""
        return {
            "OBD_BRIDGE_ODOO_URL": self.url,
            "OBD_BRIDGE_ODOO_DB": self.db,
            "OBD_BRIDGE_ODOO_LOGIN": self.login,
            "OBD_BRIDGE_API_KEY": self.api_key,
            "OBD_BRIDGE_TRANSPORT": transport,
        }


@pytest.fixture(scope="session")
def odoo(tmp_path_factory):
    missing = []
    if not ODOO_BIN.is_file():
        missing.append(f"odoo-bin not found in {ODOO_SRC} (set ODOO_SRC)")
    if not ODOO_CONF.is_file():
        missing.append(f"Odoo configuration {ODOO_CONF} not found (ATELIER_ODOO_CONF)")
    for path in addons_path().split(","):
        if not Path(path).is_dir():
            missing.append(f"addons path entry {path} is not a directory")
    if missing:
        pytest.fail("cannot run Odoo for the end-to-end tests: " + "; ".join(missing))
    db = f"atelier_e2e_obd_{os.getpid()}_{secrets.token_hex(3)}"
    log = tmp_path_factory.mktemp("odoo") / "odoo.log"
    server = OdooServer(db, free_port(), log)
    try:
        server.install()
        server.provision()
        server.start()
        yield server
    finally:
        server.stop()
        server.drop()
