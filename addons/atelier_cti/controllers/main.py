# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import http
from odoo.http import request

from ..tools.events import MAX_BODY_BYTES, CtiEventError, check_signature, parse_body

_logger = logging.getLogger(__name__)


class AtelierCtiController(http.Controller):
    """Webhook of the telephony systems: thin, the rules live on the models.

    The line is named by the ``X-Atelier-Line`` header (its code), so the
    request is authenticated before its body is even parsed.
    """

    @http.route(
        "/atelier/cti/v1/events",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def cti_events(self, **kwargs):
        try:
            return self._json(200, self._handle_event())
        except CtiEventError as exc:
            _logger.info("CTI event refused (%s): %s", exc.status, exc.message)
            return self._json(exc.status, {"error": exc.message})

    def _handle_event(self):
        httprequest = request.httprequest
        length = httprequest.content_length
        if length is not None and length > MAX_BODY_BYTES:
            raise CtiEventError(413, "Body over 64 KiB.")
        body = httprequest.get_data(cache=True)
        if len(body) > MAX_BODY_BYTES:
            raise CtiEventError(413, "Body over 64 KiB.")
        headers = httprequest.headers
        Line = request.env["atelier.cti.line"].sudo()
        line = Line._find_by_code((headers.get("X-Atelier-Line") or "").strip())
        if not line:
            raise CtiEventError(401, "Unknown or missing X-Atelier-Line header.")
        check_signature(
            line.secret,
            headers.get("X-Atelier-Timestamp"),
            headers.get("X-Atelier-Signature"),
            body,
        )
        data = parse_body(body)
        Event = request.env["atelier.call.event"].sudo()
        stored = Event._cti_stored_answer(line, data["event_id"])
        if stored is not None:
            return stored
        if not line._check_rate_limit():
            raise CtiEventError(
                429, f"Rate limit of {line.rate_limit} events per minute exceeded."
            )
        return request.env["atelier.call"].sudo()._cti_process_event(line, data)

    @staticmethod
    def _json(status, data):
        return request.make_json_response(data, status=status)
