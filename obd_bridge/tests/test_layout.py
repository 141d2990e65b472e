# SPDX-License-Identifier: GPL-2.0-or-later
"""The module boundaries of STYLE.md, checked."""

import re
import subprocess
import sys
from pathlib import Path

import obd_bridge

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
