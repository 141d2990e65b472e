# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import xmlrpc.client

from odoo import api, models
from odoo.exceptions import AccessError

_logger = logging.getLogger(__name__)

DEFAULT_MAX_MB = 25.0


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_process(
        self,
        model,
        message,
        custom_values=None,
        save_original=False,
        strip_attachments=False,
        thread_id=None,
    ):
        """A message fetched from a mailbox is never lost.

        Odoo's incoming mail server marks each fetched message as read, then
        rolls back and forgets one whose processing raises. When fetching
        (``default_fetchmail_server_id`` in the context, set by
        ``fetchmail.server``), a message over the size limit, or one the
        gateway cannot route or process, is kept aside in
        ``atelier.mail.quarantine`` (with the raw message) instead, and the
        next messages are fetched as usual. Elsewhere (the mailgate script,
        whose mail server retries or bounces on an error; any call over RPC,
        which is not the fetch's superuser) nothing changes.
        """
        # Over RPC, the gateway takes e-mails from employees only (the
        # mailgate script's user): a portal or API user could otherwise post
        # a forged e-mail in anybody's name on anybody's ticket
        if not self.env.su and not self.env.user._is_internal():
            raise AccessError(
                self.env._("Only employees may hand e-mails to the mail gateway.")
            )
        server_id = self.env.context.get("default_fetchmail_server_id")
        if (
            not server_id
            or not self.env.su
            or self.env.context.get("atelier_desk_force_process")
        ):
            return super().message_process(
                model,
                message,
                custom_values=custom_values,
                save_original=save_original,
                strip_attachments=strip_attachments,
                thread_id=thread_id,
            )
        raw = message
        if isinstance(raw, xmlrpc.client.Binary):
            raw = bytes(raw.data)
        elif isinstance(raw, str):
            raw = raw.encode("utf-8", errors="surrogateescape")
        Quarantine = self.env["atelier.mail.quarantine"].sudo()
        limit = self._atelier_desk_max_message_bytes()
        if limit and len(raw) > limit:
            Quarantine._quarantine(
                raw,
                "oversized",
                error=self.env._(
                    "%(size)s MB, over the limit of %(limit)s MB.",
                    size=f"{len(raw) / 1048576:.1f}",
                    limit=f"{limit / 1048576:g}",
                ),
                server_id=server_id,
            )
            return False
        try:
            with self.env.cr.savepoint():
                return super().message_process(
                    model,
                    raw,
                    custom_values=custom_values,
                    save_original=save_original,
                    strip_attachments=strip_attachments,
                    thread_id=thread_id,
                )
        except Exception as exc:  # noqa: BLE001 - nothing may stop the fetch
            reason = (
                "unroutable"
                if isinstance(exc, ValueError) and "No possible route" in str(exc)
                else "error"
            )
            Quarantine._quarantine(
                raw, reason, error=Quarantine._error_text(exc), server_id=server_id
            )
            return False

    @api.model
    def _atelier_desk_max_message_bytes(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("atelier_desk.max_incoming_mb", str(DEFAULT_MAX_MB))
        )
        try:
            return int(float(value) * 1024 * 1024)
        except ValueError:
            return int(DEFAULT_MAX_MB * 1024 * 1024)
