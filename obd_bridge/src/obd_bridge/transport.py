# SPDX-License-Identifier: GPL-2.0-or-later
"""Delivery to Odoo: the only module that does HTTP.

Two transports, one interface: ``send(payload) -> dict`` returns Odoo's answer of
``atelier.obd.session.ingest(payload)`` or raises

- :class:`TransientError`: the network, a timeout, a 5xx, a refused connection, an
  Odoo that is restarting. Keep the batch, retry later with back-off.
- :class:`PermanentError`: a 4xx, a bad login or API key, AccessDenied /
  AccessError / UserError (ValidationError) from the server. Sending the same batch
  again would fail the same way: park it and go on with the next one.

Every request has a timeout (``xmlrpc.client.ServerProxy`` has none of its own, so
it gets a :class:`TimeoutTransport`).
"""

from __future__ import annotations

import http.client
import json
import logging
import urllib.error
import urllib.request
import xmlrpc.client
from typing import Protocol
from xml.parsers.expat import ExpatError

_logger = logging.getLogger(__name__)

MODEL = "atelier.obd.session"
METHOD = "ingest"

# Odoo's /xmlrpc/2 integer fault codes (odoo/addons/base/controllers/rpc.py)
FAULT_APPLICATION_ERROR = 1
FAULT_WARNING = 2  # UserError, ValidationError, RedirectWarning
FAULT_ACCESS_DENIED = 3
FAULT_ACCESS_ERROR = 4
_PERMANENT_FAULT_CODES = {FAULT_WARNING, FAULT_ACCESS_DENIED, FAULT_ACCESS_ERROR}
_PERMANENT_FAULT_NAMES = (
    "AccessDenied",
    "AccessError",
    "ValidationError",
    "UserError",
    "MissingError",
)
# HTTP statuses worth retrying although they are 4xx
_RETRYABLE_4XX = {408, 425, 429}


class TransportError(Exception):
    """Delivery failed."""


class TransientError(TransportError):
    """Try again later: the batch stays pending."""


class ServerError(TransientError):
    """Odoo answered with an internal error (HTTP 500, XML-RPC fault 1): a
    server bug triggered by this batch, or the database unavailable. Retried;
    the sender parks a batch that keeps failing so while others go through."""


class PermanentError(TransportError):
    """Odoo refuses this batch: trying again would not help."""


class Transport(Protocol):
    def send(self, payload: dict) -> dict: ...

    def close(self) -> None: ...


def classify_status(status: int, detail: str = "") -> TransportError:
    """An HTTP status that is not a success -> the matching error."""
    text = f"HTTP {status}" + (f": {detail}" if detail else "")
    if status == 500:
        return ServerError(text)
    if status >= 500 or status in _RETRYABLE_4XX:
        return TransientError(text)
    return PermanentError(text)


def classify_fault(fault: xmlrpc.client.Fault) -> TransportError:
    """An XML-RPC fault from Odoo -> the matching error.

    /xmlrpc/2 gives an integer code (2 warning, 3 access denied, 4 access error);
    /xmlrpc (legacy) puts the exception name in a string code."""
    code, text = fault.faultCode, str(fault.faultString)
    summary = text.strip().splitlines()[-1] if text.strip() else ""
    message = f"XML-RPC fault {code}: {summary[:500]}"
    if code in _PERMANENT_FAULT_CODES:
        return PermanentError(message)
    code_text = str(code)
    if any(name in code_text for name in _PERMANENT_FAULT_NAMES) or any(
        f"odoo.exceptions.{name}" in text for name in _PERMANENT_FAULT_NAMES
    ):
        return PermanentError(message)
    # an application error (traceback): a server bug or the database being
    # unavailable. Retrying cannot lose anything; the batch is idempotent.
    return ServerError(message)


def _network_error(exc: BaseException) -> TransientError:
    return TransientError(f"{type(exc).__name__}: {exc}")


# -- XML-RPC ----------------------------------------------------------------------
class _TimeoutMixin:
    """Gives the connections of an ``xmlrpc.client`` transport a timeout."""

    def __init__(self, timeout: float, **kwargs):
        super().__init__(**kwargs)
        self.timeout = timeout

    def make_connection(self, host):
        conn = super().make_connection(host)
        conn.timeout = self.timeout
        return conn


class TimeoutTransport(_TimeoutMixin, xmlrpc.client.Transport):
    """``xmlrpc.client.Transport`` whose connections time out."""


class SafeTimeoutTransport(_TimeoutMixin, xmlrpc.client.SafeTransport):
    """Same as :class:`TimeoutTransport`, over HTTPS."""


class XmlRpcTransport:
    """``/xmlrpc/2/common.authenticate`` once, then
    ``/xmlrpc/2/object.execute_kw(db, uid, key, model, 'ingest', [payload])``."""

    def __init__(self, url: str, db: str, login: str, api_key: str, timeout: float):
        self.url = url.rstrip("/")
        self.db = db
        self.login = login
        self._api_key = api_key
        self.timeout = timeout
        self._uid: int | None = None
        self._common = self._proxy("common")
        self._object = self._proxy("object")

    def __repr__(self) -> str:
        return f"XmlRpcTransport({self.url!r}, db={self.db!r}, login={self.login!r})"

    def _proxy(self, service: str) -> xmlrpc.client.ServerProxy:
        endpoint = f"{self.url}/xmlrpc/2/{service}"
        if endpoint.startswith("https:"):
            transport = SafeTimeoutTransport(self.timeout)
        else:
            transport = TimeoutTransport(self.timeout)
        return xmlrpc.client.ServerProxy(endpoint, transport=transport, allow_none=True)

    def _call(self, func, *args):
        try:
            return func(*args)
        except xmlrpc.client.Fault as exc:
            raise classify_fault(exc) from exc
        except xmlrpc.client.ProtocolError as exc:
            raise classify_status(exc.errcode, exc.errmsg) from exc
        except (OSError, http.client.HTTPException) as exc:  # refused, timeout, reset
            raise _network_error(exc) from exc
        except (ExpatError, xmlrpc.client.ResponseError) as exc:
            # not XML-RPC: a proxy's error page, a half-started server
            raise TransientError(f"unreadable XML-RPC answer: {exc}") from exc
        except (OverflowError, TypeError, RecursionError) as exc:
            # a value XML-RPC cannot carry (an integer beyond 32 bits...): the
            # same batch would fail the same way
            raise PermanentError(f"cannot be sent over XML-RPC: {exc}") from exc

    def authenticate(self) -> int:
        uid = self._call(
            self._common.authenticate, self.db, self.login, self._api_key, {}
        )
        if not uid:
            raise PermanentError(
                f"authentication failed for {self.login!r} on database "
                f"{self.db!r}: wrong login or API key"
            )
        self._uid = int(uid)
        return self._uid

    def send(self, payload: dict) -> dict:
        if self._uid is None:
            self.authenticate()
        try:
            return self._call(
                self._object.execute_kw,
                self.db,
                self._uid,
                self._api_key,
                MODEL,
                METHOD,
                [payload],
            )
        except TransportError:
            self._uid = None  # the key may have been revoked: log in again next time
            raise

    def close(self) -> None:
        for proxy in (self._common, self._object):
            proxy("close")()


# -- JSON-2 -----------------------------------------------------------------------
class Json2Transport:
    """``POST <url>/json/2/atelier.obd.session/ingest`` with ``{"payload": ...}``,
    ``Authorization: bearer <api key>`` and ``X-Odoo-Database``."""

    def __init__(self, url: str, db: str, api_key: str, timeout: float):
        self.url = url.rstrip("/")
        self.db = db
        self._api_key = api_key
        self.timeout = timeout
        self.endpoint = f"{self.url}/json/2/{MODEL}/{METHOD}"

    def __repr__(self) -> str:
        return f"Json2Transport({self.endpoint!r}, db={self.db!r})"

    def send(self, payload: dict) -> dict:
        body = json.dumps({"payload": payload}, allow_nan=False).encode("utf-8")
        headers = {
            "Authorization": f"bearer {self._api_key}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        if self.db:
            headers["X-Odoo-Database"] = self.db
        request = urllib.request.Request(
            self.endpoint, data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            detail = _error_detail(exc)
            exc.close()
            raise classify_status(exc.code, detail) from exc
        except urllib.error.URLError as exc:  # refused, DNS, timeout while connecting
            raise _network_error(exc.reason if exc.reason else exc) from exc
        except (OSError, http.client.HTTPException) as exc:  # timeout while reading
            raise _network_error(exc) from exc
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise TransientError(f"unreadable JSON answer: {raw[:200]!r}") from exc

    def close(self) -> None:
        """Nothing to close: one connection per request."""


def _error_detail(exc: urllib.error.HTTPError) -> str:
    """Odoo's JSON-2 error body: ``{"name": ..., "message": ...}``."""
    try:
        raw = exc.read(4096)
    except (OSError, http.client.HTTPException):
        return exc.reason or ""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return raw[:200].decode("utf-8", "replace")
    if isinstance(data, dict):
        name = data.get("name", "")
        message = data.get("message", "")
        return f"{name}: {message}".strip(": ")[:500]
    return str(data)[:200]


def make_transport(config) -> Transport:
    if config.transport == "json2":
        return Json2Transport(
            config.odoo_url, config.odoo_db, config.api_key, config.http_timeout
        )
    return XmlRpcTransport(
        config.odoo_url,
        config.odoo_db,
        config.odoo_login,
        config.api_key,
        config.http_timeout,
    )
