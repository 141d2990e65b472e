# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The one place that talks to an OpenAI-compatible server.

Plain Python over the ``openai`` SDK (no Odoo): one call with a deadline,
retries with back-off on 429 and 5xx, and every failure turned into a
:class:`LlmFailure` with a short reason code, so that the Odoo layer can
fall back to the feature's offline path and log why.

Reason codes: ``timeout``, ``rate_limited``, ``server_error``,
``connection``, ``http_error`` (4xx other than 429), ``empty`` (no text),
``interrupted`` (a stream that broke after its first delta).
"""

import json
import random
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

import openai

# seconds; a Retry-After longer than that is not worth waiting for
MAX_BACKOFF = 8.0
CONNECT_TIMEOUT = 5.0

_clients = OrderedDict()
_clients_lock = threading.Lock()


class LlmFailure(Exception):
    """The server gave no usable answer. ``reason`` is a short code."""

    def __init__(self, reason, detail="", attempts=1):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.attempts = attempts


@dataclass
class LlmConfig:
    base_url: str
    model: str
    api_key: str = field(default="", repr=False)
    timeout: float = 20.0  # seconds for the whole call, retries included
    retries: int = 2
    backoff: float = 0.5  # first delay between attempts, doubled each time


@dataclass
class LlmReply:
    text: str
    tokens_in: int = 0
    tokens_out: int = 0
    attempts: int = 1
    model: str = ""


def get_client(config):
    """An ``openai.OpenAI`` client per server and key, reused across calls
    (its connection pool is what makes repeated calls cheap). The SDK's own
    retries are off: :func:`complete` retries within one deadline."""
    key = (config.base_url, config.api_key)
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = openai.OpenAI(
                # local servers (Ollama, llama.cpp) take any key
                api_key=config.api_key or "no-key",
                base_url=config.base_url,
                max_retries=0,
            )
            _clients[key] = client
            while len(_clients) > 8:
                _clients.popitem(last=False)[1].close()
        else:
            _clients.move_to_end(key)
        return client


def _retry_after(exc):
    """Seconds the server asked us to wait (Retry-After / retry-after-ms)."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None) or {}
    try:
        if headers.get("retry-after-ms"):
            return float(headers["retry-after-ms"]) / 1000
        if headers.get("retry-after"):
            return float(headers["retry-after"])
    except (TypeError, ValueError):
        return None
    return None


def _classify(exc):
    """(reason, detail, retryable) of an exception raised by the SDK."""
    if isinstance(exc, openai.APITimeoutError):
        return "timeout", "no answer in time", False
    if isinstance(exc, openai.RateLimitError):
        return "rate_limited", "HTTP 429", True
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        if status >= 500:
            return "server_error", f"HTTP {status}", True
        return "http_error", f"HTTP {status}: {str(exc.message)[:200]}", False
    if isinstance(exc, openai.APIConnectionError):
        return "connection", str(exc)[:200], True
    if isinstance(exc, openai.APIResponseValidationError):
        return "invalid_json", str(exc)[:200], False
    # transport errors raised while reading a stream come from the SDK's
    # HTTP library unwrapped
    name, module = type(exc).__name__, type(exc).__module__
    if module.startswith(("httpx", "httpcore")):
        if "Timeout" in name:
            return "timeout", "no answer in time", False
        return "connection", f"{name}: {str(exc)[:200]}", True
    if isinstance(exc, OSError):
        return "connection", f"{name}: {str(exc)[:200]}", True
    return "error", f"{name}: {str(exc)[:200]}", False


def _with_retries(config, call, clock=time.monotonic, sleep=time.sleep):
    """Run ``call(timeout)`` until it answers, retrying what may pass on a
    second try, all within ``config.timeout`` seconds."""
    deadline = clock() + config.timeout
    attempt = 0
    while True:
        attempt += 1
        remaining = deadline - clock()
        if remaining <= 0:
            raise LlmFailure("timeout", "no answer in time", attempt - 1)
        try:
            return call(remaining), attempt
        except Exception as exc:  # every failure becomes a reason code
            reason, detail, retryable = _classify(exc)
            if not retryable or attempt > config.retries:
                raise LlmFailure(reason, detail, attempt) from exc
            delay = _retry_after(exc)
            if delay is None:
                delay = config.backoff * (2 ** (attempt - 1))
                delay *= 1 + random.random() * 0.1  # de-synchronize workers
            delay = min(delay, MAX_BACKOFF)
            if clock() + delay >= deadline:
                raise LlmFailure(
                    reason, f"{detail}; no time left to retry", attempt
                ) from exc
            sleep(delay)


def _timeout(seconds):
    return openai.Timeout(seconds, connect=min(CONNECT_TIMEOUT, seconds))


def complete(config, messages, response_format=None, **params):
    """One chat completion. Returns a :class:`LlmReply`; raises
    :class:`LlmFailure`."""
    client = get_client(config)
    kwargs = dict(params, model=config.model, messages=messages)
    if response_format:
        kwargs["response_format"] = response_format

    def call(remaining):
        return client.chat.completions.create(timeout=_timeout(remaining), **kwargs)

    completion, attempts = _with_retries(config, call)
    choices = getattr(completion, "choices", None) or []
    text = (choices[0].message.content or "") if choices else ""
    if not text.strip():
        raise LlmFailure("empty", "the answer has no text", attempts)
    usage = getattr(completion, "usage", None)
    return LlmReply(
        text=text,
        tokens_in=getattr(usage, "prompt_tokens", 0) or 0,
        tokens_out=getattr(usage, "completion_tokens", 0) or 0,
        attempts=attempts,
        model=getattr(completion, "model", "") or config.model,
    )


class LlmStream:
    """Iterate text deltas of a streamed chat completion.

    The request is sent (with retries) on creation, so that a refused call
    fails before anything was shown. Afterwards ``tokens_in``/``tokens_out``
    hold the usage the server reported (``stream_options.include_usage``),
    and a break in the middle raises ``LlmFailure('interrupted')``.
    """

    def __init__(self, config, messages, **params):
        self.config = config
        self.tokens_in = 0
        self.tokens_out = 0
        self.model = config.model
        client = get_client(config)
        kwargs = dict(
            params,
            model=config.model,
            messages=messages,
            stream=True,
            stream_options={"include_usage": True},
        )

        def call(remaining):
            stream = client.chat.completions.create(
                timeout=_timeout(remaining), **kwargs
            )
            # wait for the first chunk inside the retry loop: servers report
            # overload on the first read as often as in the status line
            iterator = iter(stream)
            try:
                first = next(iterator)
            except StopIteration:
                first = None
            return stream, iterator, first

        (self._stream, self._iterator, self._first), self.attempts = _with_retries(
            config, call
        )

    def _deltas(self, chunk):
        usage = getattr(chunk, "usage", None)
        if usage:
            self.tokens_in = usage.prompt_tokens or 0
            self.tokens_out = usage.completion_tokens or 0
        if getattr(chunk, "model", None):
            self.model = chunk.model
        for choice in chunk.choices or ():
            content = getattr(choice.delta, "content", None)
            if content:
                yield content

    def __iter__(self):
        try:
            if self._first is not None:
                yield from self._deltas(self._first)
            for chunk in self._iterator:
                yield from self._deltas(chunk)
        except Exception as exc:  # a broken stream becomes a reason code
            reason, detail, _retryable = _classify(exc)
            raise LlmFailure("interrupted", f"{reason}: {detail}") from exc
        finally:
            self.close()

    def close(self):
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.close()


def parse_json(text):
    """The JSON object in a model's answer (code fences tolerated)."""
    text = (text or "").strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        text = text.rsplit("```", 1)[0]
    return json.loads(text)


def estimate_tokens(text):
    """Rough token count (4 characters a token) for servers that report none."""
    return max(1, len(text or "") // 4)
