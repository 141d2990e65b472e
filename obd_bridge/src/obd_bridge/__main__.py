# SPDX-License-Identifier: GPL-2.0-or-later
"""``obd-bridge run | status | flush | requeue [-c FILE]``.

The only place that configures logging and installs signal handlers.
Exit codes: 0 ok, 1 something was left undelivered, 78 bad configuration.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sqlite3
import sys

from . import __version__
from .config import ConfigError, load_config
from .outbox import CONFIG_PROBLEMS, Outbox, OutboxUnavailable
from .payload import utc_iso
from .reader import load_obd, unknown_pid_names
from .runner import Runner, flush_now

EX_OK = 0
EX_UNDELIVERED = 1
EX_CONFIG = 78  # sysexits.h EX_CONFIG

_logger = logging.getLogger("obd_bridge")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="obd-bridge",
        description="ELM327 adapter -> local outbox -> Odoo (atelier.obd.session).",
    )
    parser.add_argument("--version", action="version", version=__version__)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "-c",
        "--config",
        help="TOML or INI file (default: $OBD_BRIDGE_CONFIG); "
        "OBD_BRIDGE_* variables override it",
    )
    common.add_argument(
        "-v", "--verbose", action="count", default=0, help="-v debug, -vv python-OBD"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", parents=[common], help="run the bridge until SIGTERM")
    sub.add_parser(
        "status", parents=[common], help="outbox counts: pending, parked, oldest"
    )
    sub.add_parser("flush", parents=[common], help="send pending batches now")
    sub.add_parser(
        "requeue", parents=[common], help="put parked batches back in the queue"
    )
    return parser


def _setup_logging(verbose: int) -> None:
    level = os.environ.get("OBD_BRIDGE_LOG_LEVEL", "").upper() or (
        "DEBUG" if verbose else "INFO"
    )
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # pint (under python-OBD) warns about python-OBD's own unit definitions
    logging.getLogger("pint").setLevel(logging.ERROR)
    # python-OBD adds its own stderr handler on import: route it through ours.
    # Its errors repeat ours (adapter not there, device disconnected), so by
    # default only its errors are shown; -vv shows its whole conversation.
    load_obd()
    obd_logger = logging.getLogger("obd")
    for handler in list(obd_logger.handlers):
        obd_logger.removeHandler(handler)
    obd_logger.setLevel(logging.DEBUG if verbose >= 2 else logging.ERROR)


def _load(args):
    config = load_config(args.config)
    unknown = unknown_pid_names(p.name for p in config.pids)
    if unknown:
        raise ConfigError(
            f"[pids] (OBD_BRIDGE_PIDS): not python-OBD commands: {', '.join(unknown)}"
        )
    return config


def _check_outbox(config) -> None:
    """``run`` must be able to write its outbox. A read-only file system, a
    directory that cannot be made or written, a file out of reach: a
    configuration error (a restart would not help, exit 78). A full disk is
    not: the bridge starts, keeps its readings in memory and delivers what the
    outbox already holds (a warning says so)."""
    try:
        with Outbox(config.outbox_path) as outbox:
            outbox.check_writable()
    except OutboxUnavailable as exc:
        if exc.kind in CONFIG_PROBLEMS:
            raise ConfigError(
                f"bridge.outbox (OBD_BRIDGE_OUTBOX): cannot write "
                f"{config.outbox_path}: {exc.kind} ({exc.detail})"
            ) from exc
        _logger.warning(
            "outbox %s cannot be written at start (%s): %s",
            config.outbox_path,
            exc.kind,
            exc.detail,
        )
    except (OSError, sqlite3.Error) as exc:
        raise ConfigError(
            f"bridge.outbox (OBD_BRIDGE_OUTBOX): cannot open {config.outbox_path}: "
            f"{exc}"
        ) from exc


def _run(config) -> int:
    runner = Runner(config)

    def _on_signal(signum, _frame):
        _logger.info("%s received, stopping", signal.Signals(signum).name)
        runner.request_stop()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    _logger.info("obd-bridge %s starting: %r", __version__, config)
    runner.run()
    return EX_OK


def _status(config) -> int:
    with Outbox(config.outbox_path) as outbox:
        stats = outbox.stats()
        parked = [
            {"batch_uuid": b.batch_uuid, "last_error": b.last_error}
            for b in outbox.parked(limit=20)
        ]
    print(
        json.dumps(
            {
                "outbox": str(config.outbox_path),
                "open": stats.open,
                "open_items": stats.open_items,
                "pending": stats.pending,
                "parked": stats.parked,
                "oldest": None if stats.oldest is None else utc_iso(stats.oldest),
                "parked_batches": parked,
            },
            indent=2,
        )
    )
    return EX_OK


def _flush(config) -> int:
    result = flush_now(config)
    print(json.dumps(result.as_dict(), indent=2))
    return EX_OK if not (result.failed or result.parked) else EX_UNDELIVERED


def _requeue(config) -> int:
    with Outbox(config.outbox_path) as outbox:
        count = outbox.requeue_parked()
    print(json.dumps({"requeued": count}))
    return EX_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _setup_logging(args.verbose)
    try:
        config = _load(args)
        if args.command == "run":
            _check_outbox(config)
    except ConfigError as exc:
        _logger.error("configuration error: %s", exc)
        print(f"obd-bridge: configuration error: {exc}", file=sys.stderr)
        return EX_CONFIG
    command = {
        "run": _run,
        "status": _status,
        "flush": _flush,
        "requeue": _requeue,
    }[args.command]
    return command(config)


if __name__ == "__main__":
    sys.exit(main())
