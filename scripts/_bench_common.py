"""Helpers shared by the benchmark scripts: where Odoo and the addons are, and
a throw-away database with one addon installed."""

import os
import subprocess
import sys
import sysconfig

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ODOO_SRC = os.environ.get("ODOO_SRC", "/opt/odoo/19.0")


def addons_path():
    """Odoo's addons, the OCA wheels of this Python and the repository's."""
    oca = os.path.join(sysconfig.get_paths()["purelib"], "odoo", "addons")
    return ",".join(
        [f"{ODOO_SRC}/addons", f"{ODOO_SRC}/odoo/addons", oca, f"{ROOT}/addons"]
    )


def config_args(db):
    """Arguments of ``odoo.tools.config.parse_config`` for ``db``."""
    return ["-c", f"{ROOT}/odoo.conf", "--addons-path", addons_path(), "-d", db]


def db_exists(db):
    listing = subprocess.run(
        ["psql", "-lqt"], capture_output=True, text=True, check=True
    ).stdout
    return any(line.split("|")[0].strip() == db for line in listing.splitlines())


def install_db(db, module):
    """Create ``db`` (it must not exist) with ``module`` installed, no demo."""
    print(f"creating database {db} with {module} …", flush=True)
    subprocess.run(
        [
            sys.executable,
            f"{ODOO_SRC}/odoo-bin",
            *config_args(db),
            "-i",
            module,
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
    )
