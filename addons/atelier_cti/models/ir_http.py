# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import OperationalError
from werkzeug.exceptions import HTTPException

from odoo import models
from odoo.exceptions import ConcurrencyError, UserError
from odoo.http import request

from ..tools.events import EVENTS_PATH, CtiEventError


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _handle_error(cls, exception):
        """Every answer of the telephony webhook is JSON, errors included.

        The controller answers its own refusals; this covers what happens
        around it: a concurrency error still there after Odoo's retries, a
        database error at commit, an unexpected error. A sender parses one
        format and decides from the status whether to retry (see the
        readme).
        """
        if request and request.httprequest.path == EVENTS_PATH:
            return cls._atelier_cti_error_response(exception)
        return super()._handle_error(exception)

    @classmethod
    def _atelier_cti_error_response(cls, exception):
        headers = {}
        if isinstance(exception, CtiEventError):
            status, message = exception.status, exception.message
        elif isinstance(exception, HTTPException):
            status = exception.code or 500
            message = exception.description or exception.name
        elif isinstance(exception, (ConcurrencyError, OperationalError)):
            # still busy after Odoo's retries (or the database went away)
            status = 503
            message = "Busy: the event was not stored, send it again."
            headers["Retry-After"] = "1"
        elif isinstance(exception, UserError):
            status, message = 422, exception.args[0]
        else:
            status = 500
            message = "Internal error: the event was not stored, send it again."
        return request.make_json_response(
            {"error": message}, headers=headers, status=status
        )
