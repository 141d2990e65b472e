# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import os
import threading

import psycopg2
from psycopg2 import sql

from odoo import models
from odoo.sql_db import connection_info_for
from odoo.tools import OrderedSet

from odoo.addons.bus.models.bus import ODOO_NOTIFY_FUNCTION, get_notify_payloads

_logger = logging.getLogger(__name__)

# Odoo's bus sends its ``NOTIFY imbus`` on the ``postgres`` database, which
# its connection pool never keeps: every notifying transaction opens (and
# closes) a PostgreSQL connection, a backend start of about 4 ms of CPU. The
# webhook of the telephony lines keeps one per process instead.
_NOTIFY_QUERY = sql.SQL("SELECT {}('imbus', %s)").format(
    sql.Identifier(ODOO_NOTIFY_FUNCTION)
)


class _NotifyConnection:
    """One autocommit connection to ``postgres`` per process, reopened when
    lost or when inherited from a parent process (prefork)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._connection = None
        self._pid = None

    def _get(self):
        connection = self._connection
        if connection is None or connection.closed or self._pid != os.getpid():
            connection = psycopg2.connect(**connection_info_for("postgres")[1])
            connection.autocommit = True
            self._connection, self._pid = connection, os.getpid()
        return connection

    def send(self, payloads):
        """``NOTIFY imbus`` of these payloads."""
        with self._lock:
            for attempt in (1, 2):
                try:
                    with self._get().cursor() as cr:
                        for payload in payloads:
                            cr.execute(_NOTIFY_QUERY, (payload,))
                    return
                except (psycopg2.OperationalError, psycopg2.InterfaceError) as exc:
                    # PostgreSQL restarted or the connection was cut: once more
                    self._connection = None
                    if attempt == 2:
                        raise
                    _logger.info("Bus notify connection lost (%s), reconnecting", exc)


_notify_connection = _NotifyConnection()


class BusBus(models.Model):
    _inherit = "bus.bus"

    def _atelier_reuse_notify_connection(self):
        """Send this transaction's bus notification on a kept connection.

        Called before the first message of a transaction: the channels are
        collected where the bus expects them, so ``_sendone`` adds to them
        and registers no notify hook of its own; ours sends the same
        payloads after the commit.
        """
        postcommit = self.env.cr.postcommit
        if "bus.bus.channels" in postcommit.data:
            return
        postcommit.data["bus.bus.channels"] = OrderedSet()

        @postcommit.add
        def notify():
            channels = list(postcommit.data.pop("bus.bus.channels"))
            payloads = get_notify_payloads(channels)
            if payloads:
                _notify_connection.send(payloads)
