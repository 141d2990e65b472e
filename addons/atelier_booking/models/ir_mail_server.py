# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import models

_METHOD_RE = re.compile(rb"^METHOD:([A-Z-]+)\r?$", re.MULTILINE)


class IrMailServer(models.Model):
    _inherit = "ir.mail_server"

    def _build_email__(self, *args, **kwargs):  # noqa: PLW3201 (Odoo's name)
        """An attached calendar file tells its iTIP method in its MIME type
        (``text/calendar; method=REQUEST``), as iMIP (RFC 6047) requires:
        without it Outlook and others show a file to open rather than an
        invitation to accept, and a moved appointment is not recognised as
        an update of the one already in the agenda."""
        message = super()._build_email__(*args, **kwargs)
        for part in message.walk():
            if part.get_content_type() != "text/calendar" or part.get_param("method"):
                continue
            match = _METHOD_RE.search(part.get_payload(decode=True) or b"")
            if match:
                part.set_param("method", match.group(1).decode())
                part.set_param("charset", "utf-8")
        return message
