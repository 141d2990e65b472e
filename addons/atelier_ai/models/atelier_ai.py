# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The suite's one door to a language model: ``env["atelier.ai"]._complete``.

Every feature gives its messages and its offline path; the service decides
whether the model may be asked (provider, feature switch, configuration,
budget), redacts personal data, calls the server through
:mod:`..tools.llm_client`, validates structured answers, logs the call and
falls back to the offline path on any failure, never raising to the user.
"""

import json
import logging
import re
import time
from dataclasses import dataclass

import jsonschema

from odoo import api, models

from ..tools import llm_client, relevance
from ..tools.redact import Redactor

_logger = logging.getLogger(__name__)

# two to four capitalized words: "Paul Durand", "Garage Durand Frères"
_CAPITALIZED_RUN_RE = re.compile(
    r"(?<!\w)[A-ZÀ-ÖØ-Þ][\w'’-]+(?:[ \t]+[A-ZÀ-ÖØ-Þ][\w'’-]+)+", re.UNICODE
)
MAX_NAME_CANDIDATES = 200
SCHEMA_INSTRUCTION = (
    "Answer with one JSON object, and nothing else, that validates against "
    "this JSON schema:\n"
)


@dataclass
class AiAnswer:
    """What a feature gets back from ``_complete`` (non-streamed)."""

    text: str = ""
    data: object = None
    source: str = "offline"  # "model" or "offline"
    reason: str = ""  # why the offline path answered (usage log reason code)
    usage_id: int = 0

    @property
    def from_model(self):
        return self.source == "model"


class AtelierAi(models.AbstractModel):
    _name = "atelier.ai"
    _description = "AI service"

    # ------------------------------------------------------------------
    # Settings
    # ------------------------------------------------------------------
    @api.model
    def _settings(self):
        """The service's settings (ir.config_parameter, see Settings)."""
        get = self.env["ir.config_parameter"].sudo().get_param

        def number(key, default, cast=float):
            try:
                return cast(get(key) or default)
            except ValueError:
                return cast(default)

        return {
            "provider": get("atelier_ai.provider") or "offline",
            "base_url": (get("atelier_ai.base_url") or "").strip(),
            "model": (get("atelier_ai.model") or "").strip(),
            "api_key": (get("atelier_ai.api_key") or "").strip(),
            "json_mode": get("atelier_ai.json_mode") or "json_schema",
            "timeout": max(0.1, number("atelier_ai.timeout", 20.0)),
            "retries": max(0, number("atelier_ai.retries", 2, int)),
            "backoff": max(0.0, number("atelier_ai.retry_backoff", 0.5)),
            "budget": max(0.0, number("atelier_ai.budget", 0.0)),
            "price_in": max(0.0, number("atelier_ai.price_in", 0.0)),
            "price_out": max(0.0, number("atelier_ai.price_out", 0.0)),
            "retention_days": number("atelier_ai.retention_days", 90, int),
            "kb_min_score": number("atelier_ai.kb_min_score", 0.3),
            "kb_min_coverage": number("atelier_ai.kb_min_coverage", 0.5),
            "region": get("atelier_base.default_phone_region") or "FR",
        }

    @api.model
    def _feature(self, code):
        """The feature's switches (:class:`FeatureConfig`), cached until a
        feature is written."""
        config = self.env["atelier.ai.feature"]._get_config(code)
        if not config:
            raise ValueError(f"Unknown AI feature {code!r}: declare it in data")
        return config

    @api.model
    def _refusal(self, feature, settings):
        """Why the model may not be asked now (a reason code), or ''."""
        if settings["provider"] != "openai":
            return "offline"
        if not feature.enabled:
            return "disabled"
        if not settings["base_url"] or not settings["model"]:
            return "not_configured"
        if settings["budget"] and (
            self.env["atelier.ai.usage"]._month_cost() >= settings["budget"]
        ):
            return "budget"
        return ""

    @api.model
    def _uses_model(self, feature):
        """Whether ``feature`` would ask the model now (for the UI)."""
        return not self._refusal(self._feature(feature), self._settings())

    # ------------------------------------------------------------------
    # The one entry point
    # ------------------------------------------------------------------
    @api.model
    def _complete(
        self,
        feature,
        messages,
        schema=None,
        stream=False,
        fallback=None,
        contacts=None,
        **params,
    ):
        """Ask the model for ``feature`` (a code of ``atelier.ai.feature``).

        :param messages: ``[{"role", "content"}]``; a message with
            ``"trusted": True`` (authored content: system prompt, knowledge
            base passages) is sent without redaction
        :param schema: JSON schema of a structured answer (``answer.data``)
        :param stream: return a generator of text deltas instead of an
            :class:`AiAnswer`
        :param fallback: the feature's offline answer: a value or a callable
            returning it (text, or data when ``schema`` is given)
        :param contacts: ``res.partner`` records whose names are redacted
        :param params: extra arguments for the chat completion
        """
        started = time.perf_counter()
        feature = self._feature(feature)
        settings = self._settings()
        if stream and schema:
            raise ValueError("a structured answer cannot be streamed")
        reason = self._refusal(feature, settings)
        log = {
            "feature_id": feature.id,
            "feature_code": feature.code,
            "user_id": self.env.uid,
            "provider": "openai" if settings["provider"] == "openai" else "offline",
            "stream": bool(stream),
        }
        if reason:
            return self._fallback(log, reason, "", fallback, stream, started)

        redactor = self._redactor(feature, messages, contacts, settings)
        sent = self._prepare_messages(messages, redactor, schema)
        config = llm_client.LlmConfig(
            base_url=settings["base_url"],
            model=settings["model"],
            api_key=settings["api_key"],
            timeout=settings["timeout"],
            retries=settings["retries"],
            backoff=settings["backoff"],
        )
        if feature.max_tokens and "max_tokens" not in params:
            params["max_tokens"] = feature.max_tokens
        log.update(
            model_name=settings["model"],
            prompt=self._render_prompt(sent),
            redactions=redactor.summary(),
        )
        if stream:
            return self._stream(
                config, sent, params, redactor, log, settings, fallback, started
            )
        if schema:
            params["response_format"] = self._response_format(schema, settings)
        try:
            reply = llm_client.complete(config, sent, **params)
        except llm_client.LlmFailure as failure:
            log["attempts"] = failure.attempts
            return self._fallback(
                log, failure.reason, failure.detail, fallback, False, started
            )
        log.update(
            self._cost_values(reply.tokens_in, reply.tokens_out, sent, reply.text),
            attempts=reply.attempts,
            model_name=reply.model or settings["model"],
            answer=reply.text,
        )
        data = None
        if schema:
            try:
                data = llm_client.parse_json(reply.text)
            except ValueError as exc:
                return self._fallback(
                    log, "invalid_json", str(exc)[:200], fallback, False, started
                )
            error = jsonschema.exceptions.best_match(
                jsonschema.Draft202012Validator(schema).iter_errors(data)
            )
            if error is not None:
                return self._fallback(
                    log, "schema_invalid", error.message[:200], fallback, False, started
                )
            data = self._restore_data(data, redactor)
        usage = self._log(log, started, outcome="ok")
        return AiAnswer(
            text="" if schema else redactor.restore(reply.text),
            data=data,
            source="model",
            usage_id=usage.id,
        )

    # ------------------------------------------------------------------
    # Knowledge base
    # ------------------------------------------------------------------
    @api.model
    def _kb_passages(self, query, limit=4):
        """Knowledge-base results about ``query``, numbered from 1 (``n``),
        best first: a trouble code named in the query, or a result that
        scores at least ``atelier_ai.kb_min_score`` and holds at least
        ``atelier_ai.kb_min_coverage`` of the query's subject words (two at
        least). [] when ``atelier_knowledge`` is not installed."""
        if "atelier.kb.search" not in self.env or not (query or "").strip():
            return []
        settings = self._settings()
        found = self.env["atelier.kb.search"].search_kb(query, limit=limit * 2 + 2)
        words = relevance.content_words(query)
        passages = []
        for result in found.get("results") or []:
            score = result.get("score") or 0.0
            if score >= 1.0 or (
                score >= settings["kb_min_score"]
                and relevance.is_about(
                    query, result, settings["kb_min_coverage"], words
                )
            ):
                passages.append(dict(result, n=len(passages) + 1))
                if len(passages) >= limit:
                    break
        return passages

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @api.model
    def _redactor(self, feature, messages, contacts, settings):
        keep = feature.keep
        names, persons = [], []
        if "name" not in keep:
            partners = self.env["res.partner"].sudo()
            if contacts:
                partners |= contacts.sudo()
            if not self.env.user._is_public():
                partners |= self.env.user.sudo().partner_id
            text = "\n".join(
                m.get("content") or "" for m in messages if not m.get("trusted")
            )
            partners |= self._known_contacts_in(text)
            for partner in partners:
                if partner.name:
                    (names if partner.is_company else persons).append(partner.name)
        return Redactor(
            names=names, person_names=persons, keep=keep, region=settings["region"]
        )

    @api.model
    def _known_contacts_in(self, text):
        """Contacts whose full name appears in ``text`` (runs of two to four
        capitalized words looked up by exact name, one indexed query)."""
        candidates = set()
        for match in _CAPITALIZED_RUN_RE.finditer(text or ""):
            words = match.group(0).split()
            for size in range(2, min(4, len(words)) + 1):
                for start in range(len(words) - size + 1):
                    candidates.add(" ".join(words[start : start + size]))
        if not candidates:
            return self.env["res.partner"].sudo()
        return (
            self.env["res.partner"]
            .sudo()
            .search(
                [("name", "in", sorted(candidates)[:MAX_NAME_CANDIDATES])], limit=50
            )
        )

    @api.model
    def _prepare_messages(self, messages, redactor, schema):
        sent = [
            {
                "role": message["role"],
                "content": message["content"]
                if message.get("trusted")
                else redactor.redact(message["content"]),
            }
            for message in messages
        ]
        if schema:
            sent.insert(
                0,
                {
                    "role": "system",
                    "content": SCHEMA_INSTRUCTION
                    + json.dumps(schema, ensure_ascii=False),
                },
            )
        return sent

    @api.model
    def _response_format(self, schema, settings):
        mode = settings["json_mode"]
        if mode == "json_schema":
            return {
                "type": "json_schema",
                "json_schema": {"name": "answer", "schema": schema},
            }
        if mode == "json_object":
            return {"type": "json_object"}
        return None  # "prompt": the instruction in the prompt only

    @api.model
    def _restore_data(self, data, redactor):
        if isinstance(data, str):
            return redactor.restore(data)
        if isinstance(data, list):
            return [self._restore_data(item, redactor) for item in data]
        if isinstance(data, dict):
            return {key: self._restore_data(v, redactor) for key, v in data.items()}
        return data

    @api.model
    def _render_prompt(self, messages):
        return "\n\n".join(f"[{m['role']}]\n{m['content']}" for m in messages)

    @api.model
    def _cost_values(self, tokens_in, tokens_out, sent, answer, settings=None):
        """Tokens (estimated when the server reports none) and their cost."""
        settings = settings or self._settings()
        if not tokens_in:
            tokens_in = llm_client.estimate_tokens(self._render_prompt(sent))
        if not tokens_out and answer:
            tokens_out = llm_client.estimate_tokens(answer)
        cost = (
            tokens_in * settings["price_in"] + tokens_out * settings["price_out"]
        ) / 1000
        return {"tokens_in": tokens_in, "tokens_out": tokens_out, "cost": cost}

    @api.model
    def _offline_value(self, fallback):
        return fallback() if callable(fallback) else fallback

    @api.model
    def _fallback(self, log, reason, detail, fallback, stream, started):
        """Answer with the feature's offline path and log why."""
        if reason not in ("offline", "disabled"):
            level = logging.WARNING if reason == "error" else logging.INFO
            _logger.log(
                level,
                "AI feature %s: offline answer (%s) %s",
                log["feature_code"],
                reason,
                detail,
            )
        value = self._offline_value(fallback)
        usage = self._log(
            log, started, outcome="fallback", fallback_reason=reason, detail=detail
        )
        if stream:
            return iter([value] if value else [])
        return AiAnswer(
            text=value if isinstance(value, str) else "",
            data=None if isinstance(value, str) else value,
            source="offline",
            reason=reason,
            usage_id=usage.id,
        )

    @api.model
    def _log(self, log, started, **values):
        values = dict(log, **values)
        values.pop("feature_code", None)
        values["latency_ms"] = round((time.perf_counter() - started) * 1000)
        return self.env["atelier.ai.usage"].sudo().create(values)

    @api.model
    def _stream(self, config, sent, params, redactor, log, settings, fallback, started):
        """A generator of text deltas. Everything that needs the database is
        done now: the generator may run after the request's cursor is closed
        (a streamed HTTP response) and logs with a cursor of its own."""
        # the offline answer is ready before the first byte is asked for
        offline_text = self._offline_value(fallback) or ""
        Ai = self

        def generate():
            values = dict(log)
            parts = []
            restorer = redactor.stream_restorer()
            try:
                try:
                    stream = llm_client.LlmStream(config, sent, **params)
                except llm_client.LlmFailure as failure:
                    values.update(
                        outcome="fallback",
                        fallback_reason=failure.reason,
                        detail=failure.detail,
                        attempts=failure.attempts,
                    )
                    yield offline_text
                    return
                values["attempts"] = stream.attempts
                try:
                    for delta in stream:
                        parts.append(delta)
                        shown = restorer.feed(delta)
                        if shown:
                            yield shown
                except llm_client.LlmFailure as failure:
                    values.update(
                        outcome="fallback",
                        fallback_reason="interrupted",
                        detail=failure.detail,
                    )
                    yield restorer.flush() + "\n\n" + offline_text
                    return
                finally:
                    stream.close()
                    values.update(
                        Ai._cost_values(
                            stream.tokens_in,
                            stream.tokens_out,
                            sent,
                            "".join(parts),
                            settings,
                        ),
                        model_name=stream.model or config.model,
                    )
                tail = restorer.flush()
                if tail:
                    yield tail
                if "".join(parts).strip():
                    values["outcome"] = "ok"
                else:
                    values.update(
                        outcome="fallback",
                        fallback_reason="empty",
                        detail="the answer has no text",
                    )
                    yield offline_text
            finally:
                values.setdefault("outcome", "fallback")
                if values["outcome"] == "fallback":
                    values.setdefault("fallback_reason", "interrupted")
                    values.setdefault("detail", "the reader went away")
                values["answer"] = "".join(parts)
                values["latency_ms"] = round((time.perf_counter() - started) * 1000)
                Ai._log_after_stream(values)

        return generate()

    @api.model
    def _log_after_stream(self, values):
        """Log a streamed call in the caller's transaction while it is open
        (a stream read within the request), else in a transaction of its own
        (a streamed HTTP response runs after the request's cursor closed)."""
        values.pop("feature_code", None)
        cr = self.env.cr
        # a test cursor's "closed" tells of its connection, not of itself
        closed = cr._closed if hasattr(cr, "_closed") else cr.closed
        if not closed:
            self.env["atelier.ai.usage"].sudo().create(values)
            return
        try:
            with self.env.registry.cursor() as new_cr:
                env = api.Environment(new_cr, self.env.uid, dict(self.env.context))
                env["atelier.ai.usage"].sudo().create(values)
        except Exception:  # the answer was given; a lost log line is no error
            _logger.warning("AI usage log not written", exc_info=True)

    @api.model
    def _test_connection(self):
        """(ok, message) of one tiny call with the current settings."""
        answer = self._complete(
            "connection_test",
            [{"role": "user", "content": "Reply with the single word: ok"}],
            fallback="",
            max_tokens=5,
        )
        if answer.from_model:
            return True, self.env._(
                "The model answered: %(answer)s", answer=answer.text[:80]
            )
        usage = self.env["atelier.ai.usage"].sudo().browse(answer.usage_id)
        reason = dict(usage._fields["fallback_reason"]._description_selection(self.env))
        return False, self.env._(
            "No answer from the model: %(reason)s %(detail)s",
            reason=reason.get(answer.reason, answer.reason),
            detail=usage.detail or "",
        )
