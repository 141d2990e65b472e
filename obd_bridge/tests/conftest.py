# SPDX-License-Identifier: GPL-2.0-or-later
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

from bridge_testkit import FakeOdoo
from obd_bridge.config import load_config
from obd_bridge.outbox import Outbox

# keep Hypothesis' cache inside obd_bridge/ whatever the working directory
set_hypothesis_home_dir(Path(__file__).resolve().parent.parent / ".hypothesis")


@pytest.fixture
def fake_odoo():
    odoo = FakeOdoo().start()
    yield odoo
    odoo.stop()


@pytest.fixture
def make_config(tmp_path):
    """Build a Config the way the daemon does: from environment variables."""

    def make(**overrides):
        env = {
            "OBD_BRIDGE_PORT": "socket://127.0.0.1:1",
            "OBD_BRIDGE_ID": "garage-1",
            "OBD_BRIDGE_ODOO_URL": "http://127.0.0.1:1",
            "OBD_BRIDGE_ODOO_DB": "atelier",
            "OBD_BRIDGE_ODOO_LOGIN": "bridge",
            "OBD_BRIDGE_API_KEY": "s3cret-key",
            "OBD_BRIDGE_OUTBOX": str(tmp_path / "outbox.sqlite3"),
            "OBD_BRIDGE_PIDS": "RPM=0.05,SPEED=0.05",
            "OBD_BRIDGE_BATCH_MAX_ITEMS": "5",
            "OBD_BRIDGE_BATCH_MAX_AGE": "0.2",
            "OBD_BRIDGE_RECONNECT_INITIAL": "0.05",
            "OBD_BRIDGE_RECONNECT_MAX": "0.2",
            "OBD_BRIDGE_RETRY_INITIAL": "0.05",
            "OBD_BRIDGE_RETRY_MAX": "0.2",
            "OBD_BRIDGE_HTTP_TIMEOUT": "2",
        }
        env.update({f"OBD_BRIDGE_{k.upper()}": str(v) for k, v in overrides.items()})
        return load_config(None, environ=env)

    return make


@pytest.fixture
def outbox(tmp_path):
    box = Outbox(tmp_path / "outbox.sqlite3", max_items=3, max_age=10.0)
    yield box
    box.close()
