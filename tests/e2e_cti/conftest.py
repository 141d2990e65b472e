# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fixtures of the CTI end-to-end tests: a real Odoo, Kamailio and SIPp.

- ``odoo``: a fresh database with ``atelier_cti`` (dropped at the end),
  served by ``odoo-bin`` on a free port; Claire (extension 201), two
  customers and a telephony line with a known secret, created over JSON-RPC
  as admin.
- ``kamailio``: Kamailio (Debian's ``kamailio`` with ``http_client`` and
  ``app_python3``) proxying the calls to Claire's phone and posting the
  signed events to that Odoo.
- ``sip_call``: runs one call with SIPp, the caller (UAC) against Kamailio and
  Claire's phone (UAS) behind it.
- ``claire_bus``: Claire logged in, listening to Odoo's bus on the websocket
  as her browser tab does (the incoming-call pop-up's messages).

Environment (set by scripts/test.sh): ``ODOO_SRC`` (default /opt/odoo/19.0),
``ATELIER_ODOO_ADDONS_PATH``, ``ATELIER_ODOO_CONF``. A missing kamailio or
sipp makes the tests FAIL, never skip.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import uuid
from pathlib import Path

import psycopg2
import pytest
import requests
import websocket

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo/19.0"))
LINE_CODE = "kamailio-e2e"
LINE_SECRET = "e2e-" + uuid.uuid4().hex
LINE_NUMBER = "+33472000000"
CLAIRE_EXTENSION = "201"
CLAIRE_LOGIN = "claire.e2e"
CLAIRE_PASSWORD = "claire-" + uuid.uuid4().hex
APT_PACKAGES = "kamailio kamailio-utils-modules kamailio-python3-modules sip-tester"


def _addons_path():
    path = os.environ.get("ATELIER_ODOO_ADDONS_PATH")
    if path:
        return path
    parts = [ODOO_SRC / "addons", ODOO_SRC / "odoo" / "addons"]
    oca = Path(sysconfig.get_paths()["purelib"]) / "odoo" / "addons"
    if oca.is_dir():
        parts.append(oca)
    parts.append(REPO / "addons")
    return ",".join(str(p) for p in parts)


def _odoo_conf():
    return os.environ.get("ATELIER_ODOO_CONF") or str(REPO / "odoo.conf")


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path, lines=60):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"(no {path})"


def _stop(process, timeout=20):
    """SIGTERM the process group, SIGKILL it if it lingers."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=timeout)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)


def _require(program):
    found = shutil.which(program)
    if not found:
        pytest.fail(
            f"{program} is not installed: these tests need it "
            f"(apt-get install {APT_PACKAGES})",
            pytrace=False,
        )
    return found


class OdooRpc:
    """JSON-RPC of the web client, as admin (no deprecated /xmlrpc)."""

    def __init__(self, url, db, login, password):
        self.url = url
        self.session = requests.Session()
        result = self._post(
            "/web/session/authenticate",
            {"db": db, "login": login, "password": password},
        )
        self.uid = result["uid"]

    def _post(self, path, params):
        response = self.session.post(
            self.url + path,
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=60,
        )
        response.raise_for_status()
        data = response.json()
        if data.get("error"):
            raise RuntimeError(f"{path}: {data['error']}")
        return data["result"]

    def call(self, model, method, *args, **kwargs):
        return self._post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def search_read(self, model, domain, fields, **kwargs):
        return self.call(model, "search_read", domain, fields, **kwargs)

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        rows = self.search_read(
            "ir.model.data",
            [("module", "=", module), ("name", "=", name)],
            ["res_id"],
        )
        assert rows, f"no record {xmlid}"
        return rows[0]["res_id"]


def _odoo_cmd(db, data_dir):
    return [
        sys.executable,
        str(ODOO_SRC / "odoo-bin"),
        "-c",
        _odoo_conf(),
        f"--addons-path={_addons_path()}",
        f"--data-dir={data_dir}",
        "-d",
        db,
        "--max-cron-threads=0",
    ]


def _drop_db(db):
    conn = psycopg2.connect(dbname="postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cr:
            cr.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    finally:
        conn.close()


@pytest.fixture(scope="session")
def odoo(tmp_path_factory):
    """A running Odoo with atelier_cti on a fresh database, and its test data."""
    if not (ODOO_SRC / "odoo-bin").is_file():
        pytest.fail(f"Odoo source not found at {ODOO_SRC} (set ODOO_SRC)")
    workdir = tmp_path_factory.mktemp("odoo")
    db = f"e2e_cti_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    install_log = workdir / "install.log"
    with open(install_log, "w") as log:
        install = subprocess.run(
            [*_odoo_cmd(db, workdir / "data"), "-i", "atelier_cti"]
            + ["--stop-after-init", "--log-level=warn"],
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=900,
            check=False,
        )
    try:
        if install.returncode:
            pytest.fail(f"odoo-bin -i atelier_cti failed:\n{_tail(install_log)}")
        port = free_port()
        server_log = workdir / "server.log"
        with open(server_log, "w") as log:
            server = subprocess.Popen(
                [*_odoo_cmd(db, workdir / "data")]
                + [
                    "--http-interface=127.0.0.1",
                    f"--http-port={port}",
                    f"--gevent-port={free_port()}",
                    "--workers=0",
                    "--log-level=info",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 120
            while True:
                try:
                    if requests.get(url + "/web/health", timeout=2).ok:
                        break
                except requests.RequestException:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"Odoo did not start:\n{_tail(server_log)}")
                time.sleep(0.3)
            rpc = OdooRpc(url, db, "admin", "admin")
            yield {"url": url, "db": db, "rpc": rpc, "log": server_log, **_setup(rpc)}
        finally:
            _stop(server)
    finally:
        _drop_db(db)


def _setup(rpc):
    """Claire, customers and the line, as an administrator would set them."""
    france = rpc.search_read("res.country", [("code", "=", "FR")], ["id"])[0]["id"]
    company = rpc.search_read("res.company", [], ["id"], limit=1)[0]["id"]
    rpc.call("res.company", "write", [company], {"country_id": france})
    claire = rpc.call(
        "res.users",
        "create",
        {
            "name": "Claire Moreau",
            "login": CLAIRE_LOGIN,
            "password": CLAIRE_PASSWORD,
            "tz": "Europe/Paris",
            "atelier_cti_extension": CLAIRE_EXTENSION,
            "group_ids": [
                (
                    6,
                    0,
                    [
                        rpc.ref("base.group_user"),
                        rpc.ref("atelier_base.group_assistant"),
                    ],
                )
            ],
        },
    )
    marie = rpc.call(
        "res.partner",
        "create",
        {"name": "Marie Martin", "mobile": "06 12 34 56 78", "country_id": france},
    )
    garage = rpc.call(
        "res.partner",
        "create",
        {
            "name": "Garage Dupont",
            "is_company": True,
            "phone": "04 78 12 34 56",
            "country_id": france,
        },
    )
    line = rpc.call(
        "atelier.cti.line",
        "create",
        {
            "name": "Kamailio",
            "code": LINE_CODE,
            "provider": "kamailio",
            "secret": LINE_SECRET,
            "numbers": "04 72 00 00 00",
            "owner_id": claire,
            "user_ids": [(6, 0, [claire])],
        },
    )
    return {
        "claire_id": claire,
        "marie_id": marie,
        "garage_id": garage,
        "line_id": line,
        "line_code": LINE_CODE,
        "line_secret": LINE_SECRET,
    }


def start_kamailio(odoo, workdir, secret, phone_port):
    """Kamailio on a free UDP port; returns (process, port, log path)."""
    binary = _require("kamailio")
    port = free_port(socket.SOCK_DGRAM)
    log_path = workdir / f"kamailio-{port}.log"
    defines = {
        "ODOO_URL": odoo["url"] + "/atelier/cti/v1/events",
        "ODOO_DB": odoo["db"],
        "ATELIER_LINE": odoo["line_code"],
        "ATELIER_SECRET": secret,
        "PHONE_URI": f"sip:{CLAIRE_EXTENSION}@127.0.0.1:{phone_port}",
        "SIGNER": str(HERE / "kamailio" / "atelier_sign.py"),
    }
    cmd = [binary, "-f", str(HERE / "kamailio" / "kamailio.cfg")]
    for name, value in defines.items():
        cmd += ["-A", f'{name}="{value}"']
    cmd += ["-l", f"udp:127.0.0.1:{port}", "-m", "64", "-M", "8", "-Y", str(workdir)]
    check = subprocess.run(
        [*cmd, "-c"], capture_output=True, text=True, timeout=60, check=False
    )
    if check.returncode:
        pytest.fail(
            "kamailio rejects the configuration (modules http_client and "
            f"app_python3 come with: apt-get install {APT_PACKAGES}):\n"
            + check.stderr[-3000:],
            pytrace=False,
        )
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [*cmd, "-DD", "-E"],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    # ready when it answers a SIP request (405 to an OPTIONS)
    deadline = time.monotonic() + 20
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(0.5)
        local = sock.getsockname()[1]
        while True:
            branch = "z9hG4bK" + uuid.uuid4().hex
            probe = (
                f"OPTIONS sip:probe@127.0.0.1:{port} SIP/2.0\r\n"
                f"Via: SIP/2.0/UDP 127.0.0.1:{local};branch={branch}\r\n"
                f"From: <sip:probe@127.0.0.1:{local}>;tag=1\r\n"
                f"To: <sip:probe@127.0.0.1:{port}>\r\n"
                f"Call-ID: probe-{uuid.uuid4().hex}\r\nCSeq: 1 OPTIONS\r\n"
                "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
            )
            sock.sendto(probe.encode(), ("127.0.0.1", port))
            try:
                if sock.recv(4096).startswith(b"SIP/2.0"):
                    break
            except TimeoutError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                _stop(process)
                pytest.fail(f"kamailio did not start:\n{_tail(log_path)}")
    return process, port, log_path


@pytest.fixture(scope="session")
def kamailio(request, tmp_path_factory):
    """Kamailio signing with the line's secret, and the port of Claire's phone."""
    # fail at once, before building a database, when a tool is missing
    _require("kamailio")
    _require("sipp")
    odoo = request.getfixturevalue("odoo")
    workdir = tmp_path_factory.mktemp("kamailio")
    phone_port = free_port(socket.SOCK_DGRAM)
    process, port, log_path = start_kamailio(
        odoo, workdir, odoo["line_secret"], phone_port
    )
    try:
        yield {"port": port, "phone_port": phone_port, "log": log_path}
    finally:
        _stop(process)


class SipCall:
    """One SIPp call: Claire's phone (UAS) first, then the caller (UAC)."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.sipp = _require("sipp")

    def _cmd(self, scenario, port, name):
        return [
            self.sipp,
            "-sf",
            str(HERE / "scenarios" / scenario),
            "-i",
            "127.0.0.1",
            "-p",
            str(port),
            "-mp",
            str(free_port(socket.SOCK_DGRAM)),
            "-m",
            "1",
            "-nostdin",
            "-timeout",
            "30",
            "-timeout_error",
            "-trace_err",
            "-error_file",
            str(self.workdir / f"{name}-errors.log"),
            "-trace_msg",
            "-message_file",
            str(self.workdir / f"{name}-messages.log"),
        ]

    def __call__(self, kamailio, uac, uas, caller, name):
        """Run the call; returns its SIP Call-ID (the provider call id)."""
        call_prefix = f"{name}-{uuid.uuid4().hex[:8]}"
        phone = subprocess.Popen(
            [
                *self._cmd(uas, kamailio["phone_port"], f"{name}-uas"),
                "-key",
                "agent",
                CLAIRE_EXTENSION,
            ],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            _wait_udp_bound(kamailio["phone_port"], phone)
            caller_run = subprocess.run(
                [
                    *self._cmd(uac, free_port(socket.SOCK_DGRAM), f"{name}-uac"),
                    "-s",
                    LINE_NUMBER,
                    "-key",
                    "caller",
                    caller,
                    "-cid_str",
                    f"{call_prefix}-%u@%s",
                    f"127.0.0.1:{kamailio['port']}",
                ],
                cwd=self.workdir,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                timeout=60,
                check=False,
            )
            phone_rc = phone.wait(timeout=30)
        finally:
            _stop(phone)
        logs = "\n".join(
            f"--- {path.name}\n{_tail(path, 40)}"
            for path in sorted(self.workdir.glob(f"{name}-*.log"))
        )
        assert caller_run.returncode == 0 and phone_rc == 0, (
            f"SIPp failed (caller rc={caller_run.returncode}, phone rc={phone_rc})"
            f"\n{caller_run.stderr.decode(errors='replace')[-2000:]}\n{logs}"
            f"\n--- kamailio\n{_tail(kamailio['log'])}"
        )
        return f"{call_prefix}-1@127.0.0.1"


def _wait_udp_bound(port, process, timeout=10):
    """Until ``process`` listens on UDP ``port`` (binding it fails)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                return
        time.sleep(0.05)


@pytest.fixture
def sip_call(tmp_path):
    return SipCall(tmp_path)


class BusClient:
    """Claire's browser tab, as far as the bus goes: Odoo's websocket."""

    def __init__(self, odoo):
        rpc = OdooRpc(odoo["url"], odoo["db"], CLAIRE_LOGIN, CLAIRE_PASSWORD)
        cookie = f"session_id={rpc.session.cookies['session_id']}"
        url = odoo["url"].replace("http://", "ws://") + "/websocket?version=19.0-2"
        self.ws = websocket.create_connection(url, cookie=cookie, timeout=10)
        # her own channels (her partner) come with the subscription
        self.ws.send(
            json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": 0}})
        )
        self.received = []

    def call_payloads(self, call_id, until_state, timeout=10):
        """The ``atelier_cti/call`` payloads about ``call_id``, in order, read
        until one has ``until_state`` (or the timeout)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [
                n["message"]["payload"]
                for n in self.received
                if n["message"]["type"] == "atelier_cti/call"
                and n["message"]["payload"]["id"] == call_id
            ]
            if any(p["state"] == until_state for p in found):
                return found
            self.ws.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                self.received.extend(json.loads(self.ws.recv()))
            except websocket.WebSocketTimeoutException:
                break
        return found

    def close(self):
        self.ws.close()


@pytest.fixture
def claire_bus(kamailio, odoo):
    client = BusClient(odoo)
    try:
        yield client
    finally:
        client.close()
