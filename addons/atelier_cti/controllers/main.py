# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import time

from odoo import SUPERUSER_ID, http
from odoo.http import request

from ..tools.events import (
    EVENTS_PATH,
    MAX_BODY_BYTES,
    PING,
    CtiEventError,
    check_signature,
    parse_body,
)

_logger = logging.getLogger(__name__)


class AtelierCtiController(http.Controller):
    """Webhook of the telephony systems: thin, the rules live on the models.

    The line is named by the ``X-Atelier-Line`` header (its code), so the
    request is authenticated (HMAC of the line's secret) before its body is
    even parsed. No session, no user: ``auth="none"`` and the work is done as
    superuser once the signature is checked.
    """

    @http.route(
        EVENTS_PATH,
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        readonly=False,  # auth="none" routes default to a read-only cursor
    )
    def cti_events(self, **kwargs):
        started = time.perf_counter()
        try:
            status, data = 200, self._handle_event()
        except CtiEventError as exc:
            _logger.info("CTI event refused (%s): %s", exc.status, exc.message)
            status, data = exc.status, {"error": exc.message}
        response = request.make_json_response(data, status=status)
        # time spent in Odoo on the event (signature, upsert, lookup, bus
        # message), before the commit; read by scripts/bench_cti.py
        elapsed = (time.perf_counter() - started) * 1000
        response.headers["Server-Timing"] = f"app;dur={elapsed:.2f}"
        return response

    def _handle_event(self):
        httprequest = request.httprequest
        length = httprequest.content_length
        if length is not None and length > MAX_BODY_BYTES:
            raise CtiEventError(413, "Body over 64 KiB.")
        body = httprequest.get_data(cache=True)
        if len(body) > MAX_BODY_BYTES:
            raise CtiEventError(413, "Body over 64 KiB.")
        headers = httprequest.headers
        env = request.env(user=SUPERUSER_ID, su=True)
        line = env["atelier.cti.line"]._find_by_code(
            (headers.get("X-Atelier-Line") or "").strip()
        )
        if not line:
            raise CtiEventError(401, "Unknown or missing X-Atelier-Line header.")
        check_signature(
            line._accepted_secrets(),
            headers.get("X-Atelier-Timestamp"),
            headers.get("X-Atelier-Signature"),
            body,
        )
        data = parse_body(body)
        if data["event"] == PING:
            return {"ping": "ok", "line": line.code}
        return env["atelier.call"]._cti_process_event(line, data, check_rate=True)
