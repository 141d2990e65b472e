# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import contextlib
import json

from werkzeug.exceptions import RequestEntityTooLarge, UnprocessableEntity

from odoo import models
from odoo.http import request

INGEST = ("atelier.obd.session", "ingest")


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _pre_dispatch(cls, rule, args):
        """The JSON-2 route of ``atelier.obd.session.ingest`` gets the limits
        the XML-RPC route already has, before Odoo parses the body.

        - the body size: XML-RPC answers 413 above the database's upload limit
          (``web.max_file_upload_size``, 128 MiB by default); JSON-2 does not
          check it. Same limit, same 413.
        - the depth: Python's JSON parser raises RecursionError on a body
          nested ~1,000 levels deep, which Odoo turns into a 500. Answered 422
          with the reason, as any malformed payload.
        """
        super()._pre_dispatch(rule, args)
        if (
            rule.endpoint.routing.get("type") != "json2"
            or (
                args.get("__model__"),
                args.get("__method__"),
            )
            != INGEST
        ):
            return
        httprequest = request.httprequest
        limit = httprequest.max_content_length
        if limit is not None and (httprequest.content_length or 0) > limit:
            raise RequestEntityTooLarge(
                f"Malformed OBD payload: the body exceeds {limit} bytes"
            )
        # a body that is not JSON at all: Odoo's own parser answers 400
        with contextlib.suppress(ValueError):
            try:
                json.loads(httprequest.get_data(as_text=True))
            except RecursionError:
                raise UnprocessableEntity(
                    "Malformed OBD payload: it is nested too deeply"
                ) from None
