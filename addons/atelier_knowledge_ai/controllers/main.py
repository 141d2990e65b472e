# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import logging

from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request

_logger = logging.getLogger(__name__)

MAX_BODY = 32 * 1024


class Alex(http.Controller):
    """Alex's routes, for the website widget and the back office alike: thin,
    they validate, limit and stream; ``atelier.ai.alex`` answers."""

    @http.route(
        "/atelier/alex/ask",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,  # JSON only: a cross-site form cannot send it
    )
    def ask(self, **_kwargs):
        """POST ``{"question", "history"?, "lang"?}`` (JSON); answers with
        server-sent events: ``meta`` (sources, mode, hand-off), ``delta``
        (text, as the model writes it) and ``done`` (citations, refusal)."""
        payload, error = self._payload()
        if error:
            return error
        limited = self._rate_limited("alex-ask")
        if limited:
            return limited
        self._set_lang(payload.get("lang"))
        Alex = request.env["atelier.ai.alex"]
        try:
            meta, deltas = Alex._answer(
                payload.get("question"), history=payload.get("history"), stream=True
            )
        except ValidationError as exc:
            return self._json({"error": exc.args[0]}, 400)
        return request.make_response(
            self._events(Alex, meta, deltas),
            headers=[
                ("Content-Type", "text/event-stream; charset=utf-8"),
                ("Cache-Control", "no-cache, no-store"),
                ("X-Accel-Buffering", "no"),  # nginx: pass each event on
            ],
        )

    @http.route(
        "/atelier/alex/handoff",
        type="jsonrpc",
        auth="public",
        methods=["POST"],
    )
    def handoff(
        self, question=None, answer=None, sources=None, contact=None, lang=None
    ):
        """Pass the question on to a person: ``{"kind": "ticket" |
        "request", "reference", "url"}``, or ``{"error"}``."""
        if self._rate_limited("alex-handoff", per_minute=3, per_hour=20):
            return {"error": request.env._("Too many requests: try again in a minute.")}
        self._set_lang(lang)
        try:
            return request.env["atelier.ai.alex"]._handoff(
                question,
                answer=answer,
                sources=sources,
                contact=contact if isinstance(contact, dict) else None,
            )
        except ValidationError as exc:
            return {"error": exc.args[0]}

    # ------------------------------------------------------------------
    def _payload(self):
        """(payload dict, None) or (None, an error response)."""
        httprequest = request.httprequest
        if httprequest.mimetype != "application/json":
            return None, self._json(
                {"error": request.env._("Send the question as JSON.")}, 415
            )
        if (httprequest.content_length or 0) > MAX_BODY:
            return None, self._json({"error": request.env._("Too long.")}, 413)
        try:
            payload = json.loads(httprequest.get_data(cache=False) or b"{}")
        except ValueError:
            return None, self._json({"error": request.env._("Invalid JSON.")}, 400)
        if not isinstance(payload, dict):
            return None, self._json({"error": request.env._("Invalid JSON.")}, 400)
        return payload, None

    def _rate_limited(self, bucket, per_minute=None, per_hour=None):
        """An error response (or True for JSON-RPC) when a visitor or a
        client of the portal asks too often; employees are not limited."""
        user = request.env.user
        if not user._is_public() and not user.share:
            return None
        settings = request.env["atelier.ai.alex"]._settings()
        Rate = request.env["atelier.ai.rate"].sudo()
        session_key = request.session.sid or "no-session"
        ip = request.httprequest.remote_addr or "unknown"
        allowed = Rate._hit(
            f"{bucket}-session",
            f"{session_key}:{user.id}",
            per_minute or settings["rate_minute"],
            60,
        ) and Rate._hit(f"{bucket}-ip", ip, per_hour or settings["rate_hour"], 3600)
        if allowed:
            return None
        _logger.info("Alex: %s limited for %s", bucket, ip)
        response = self._json(
            {
                "error": request.env._(
                    "You have asked many questions in a short time: please try "
                    "again in a minute."
                )
            },
            429,
        )
        response.headers["Retry-After"] = "60"
        return response

    def _set_lang(self, lang):
        if (
            isinstance(lang, str)
            and len(lang) <= 16
            and request.env["res.lang"]._get_data(code=lang.replace("-", "_"))
        ):
            request.update_context(lang=lang.replace("-", "_"))

    def _json(self, data, status=200):
        return request.make_json_response(data, status=status)

    def _events(self, Alex, meta, deltas):
        """Server-sent events; runs after the request's cursor is closed, so
        it only formats (``_finish`` uses no database)."""

        def event(name, data):
            return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"

        yield event("meta", meta)
        parts = []
        try:
            for delta in deltas:
                if delta:
                    parts.append(delta)
                    yield event("delta", {"text": delta})
        except Exception:  # never a broken stream: say so and end cleanly
            _logger.exception("Alex: the answer stopped")
            yield event("error", {"error": "interrupted"})
        yield event("done", Alex._finish(meta, "".join(parts)))
