# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A small OpenAI-compatible server on 127.0.0.1 for tests and benchmarks.

It answers ``POST /v1/chat/completions`` from a script of fixtures (plain
answers, JSON answers, server-sent-event streams, delays, error statuses),
records every request it received, and flags personal data (phone numbers,
e-mail addresses, VINs) that reached it. Other addons' tests import it::

    from odoo.addons.atelier_ai.tests.llm_server import LlmServer, Reply

    with LlmServer() as server:
        server.push(Status(429), Reply('{"type": "quote"}'))
        ...  # point atelier_ai.base_url at server.url
        assert server.violations == []
"""

import json
import re
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import phonenumbers

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
VIN_RE = re.compile(
    r"(?<![A-Za-z0-9])(?=[A-HJ-NPR-Z0-9]{0,16}[0-9])(?=[A-HJ-NPR-Z0-9]{0,16}[A-HJ-NPR-Z])"
    r"[A-HJ-NPR-Z0-9]{17}(?![A-Za-z0-9])",
    re.IGNORECASE,
)


def personal_data(text):
    """Phone numbers, e-mail addresses and VINs found in ``text``."""
    found = [("email", m.group(0)) for m in EMAIL_RE.finditer(text)]
    found += [("vin", m.group(0)) for m in VIN_RE.finditer(text)]
    found += [
        ("phone", m.raw_string)
        for m in phonenumbers.PhoneNumberMatcher(
            text, "FR", leniency=phonenumbers.Leniency.POSSIBLE
        )
    ]
    found += [("phone", m.group(0)) for m in re.finditer(r"\+\d{8,15}", text)]
    return found


@dataclass
class Reply:
    """A chat completion answering ``text``; streamed word by word when the
    request asks for a stream. ``delay``: seconds before answering."""

    text: str
    delay: float = 0.0
    tokens_in: int | None = None
    tokens_out: int | None = None
    model: str = "test-model"


def JsonReply(data, **kw):
    return Reply(json.dumps(data, ensure_ascii=False), **kw)


@dataclass
class Stream:
    """Server-sent events with these deltas; ``pause`` seconds between them;
    ``cut_after``: drop the connection after that many deltas."""

    deltas: list
    pause: float = 0.0
    cut_after: int | None = None
    delay: float = 0.0
    usage: tuple | None = (10, 5)


@dataclass
class Status:
    """An error status with an OpenAI-style error body."""

    code: int
    message: str = "error from the test server"
    retry_after: float | None = None
    delay: float = 0.0


@dataclass
class Raw:
    """Any body (e.g. not JSON at all)."""

    body: bytes
    content_type: str = "application/json"
    delay: float = 0.0


@dataclass
class Responder:
    """``func(request_json)`` returns one of the responses above."""

    func: object
    delay: float = 0.0


@dataclass
class Received:
    path: str
    headers: dict
    body: dict
    at: float = field(default_factory=time.monotonic)

    @property
    def text(self):
        """Every message's content, joined."""
        return "\n".join(
            str(m.get("content") or "") for m in self.body.get("messages", [])
        )


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "AtelierTestLLM/1.0"

    def setup(self):
        result = super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return result

    def log_message(self, format, *args):  # keep test logs clean
        return

    def _send(self, status, body, content_type="application/json", headers=()):
        head = [f"HTTP/1.1 {status} {'OK' if status == 200 else 'Error'}"]
        head += [f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
        head += [f"{k}: {v}" for k, v in headers]
        self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        self.wfile.flush()

    def do_GET(self):
        if self.path.rstrip("/").endswith("/models"):
            body = {"object": "list", "data": [{"id": "test-model", "object": "model"}]}
            return self._send(200, json.dumps(body).encode())
        return self._send(404, b'{"error": {"message": "not found"}}')

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        server = self.server.owner
        received = Received(
            self.path, {k.lower(): v for k, v in self.headers.items()}, body
        )
        server._record(received)
        if not self.path.endswith("/chat/completions"):
            return self._send(404, b'{"error": {"message": "not found"}}')
        response = server._next()
        if isinstance(response, Responder):
            if response.delay:
                time.sleep(response.delay)
            response = response.func(body)
        if getattr(response, "delay", 0):
            time.sleep(response.delay)
        try:
            self._answer(response, body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a timeout test)

    def _answer(self, response, body):
        if isinstance(response, Status):
            headers = []
            if response.retry_after is not None:
                headers.append(
                    ("retry-after-ms", str(int(response.retry_after * 1000)))
                )
            payload = {"error": {"message": response.message, "type": "test"}}
            return self._send(
                response.code, json.dumps(payload).encode(), headers=headers
            )
        if isinstance(response, Raw):
            return self._send(200, response.body, response.content_type)
        if isinstance(response, Reply) and body.get("stream"):
            words = re.findall(r"\S+\s*|\s+", response.text) or [""]
            response = Stream(words, usage=(response.tokens_in or 10, len(words)))
        if isinstance(response, Stream):
            return self._stream(response, body)
        prompt = "\n".join(
            str(m.get("content") or "") for m in body.get("messages", [])
        )
        tokens_in = response.tokens_in
        if tokens_in is None:
            tokens_in = max(1, len(prompt) // 4)
        tokens_out = response.tokens_out
        if tokens_out is None:
            tokens_out = max(1, len(response.text) // 4)
        payload = {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": response.model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": response.text},
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                "prompt_tokens": tokens_in,
                "completion_tokens": tokens_out,
                "total_tokens": tokens_in + tokens_out,
            },
        }
        return self._send(200, json.dumps(payload).encode())

    def _stream(self, response, body):
        self.wfile.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
            b"Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n"
        )

        def event(data):
            chunk = f"data: {data}\n\n".encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.flush()

        def chunk(choices, usage=None):
            payload = {
                "id": "chatcmpl-test",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": "test-model",
                "choices": choices,
            }
            if usage is not None:
                payload["usage"] = usage
            return json.dumps(payload)

        for index, delta in enumerate(response.deltas):
            if response.cut_after is not None and index >= response.cut_after:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if index and response.pause:
                time.sleep(response.pause)
            event(
                chunk(
                    [{"index": 0, "delta": {"content": delta}, "finish_reason": None}]
                )
            )
        event(chunk([{"index": 0, "delta": {}, "finish_reason": "stop"}]))
        if response.usage and (body.get("stream_options") or {}).get("include_usage"):
            tokens_in, tokens_out = response.usage
            usage = {
                "prompt_tokens": tokens_in,
                "completion_tokens": tokens_out,
                "total_tokens": tokens_in + tokens_out,
            }
            event(chunk([], usage))
        event("[DONE]")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):  # no tracebacks in logs
        return


class LlmServer:
    """Start with ``start()`` or as a context manager; ``url`` is the base
    URL to configure (``http://127.0.0.1:<port>/v1``)."""

    def __init__(self, default=None, forbid_personal_data=True):
        self.default = default or Reply("Réponse de test.")
        self.forbid_personal_data = forbid_personal_data
        self.requests = []
        self.violations = []
        self._script = deque()
        self._lock = threading.Lock()
        self._httpd = None
        self._thread = None

    # lifecycle -------------------------------------------------------------
    def start(self):
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="atelier-test-llm",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self):
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(5)
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self):
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    # script ------------------------------------------------------------------
    def push(self, *responses):
        """Answer the next requests with these, in order (then the default)."""
        with self._lock:
            self._script.extend(responses)

    def reset(self, default=None):
        with self._lock:
            self._script.clear()
            self.requests.clear()
            self.violations.clear()
            if default is not None:
                self.default = default

    def _next(self):
        with self._lock:
            return self._script.popleft() if self._script else self.default

    def _record(self, received):
        with self._lock:
            self.requests.append(received)
            if self.forbid_personal_data:
                self.violations.extend(personal_data(received.text))

    @property
    def pending(self):
        with self._lock:
            return len(self._script)

    @property
    def last(self):
        return self.requests[-1] if self.requests else None
