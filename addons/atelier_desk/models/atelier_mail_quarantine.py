# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import email
import email.policy
import logging
import traceback

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

_logger = logging.getLogger(__name__)

# Only the headers are read from a quarantined message: they fit in this
HEADER_BYTES = 256 * 1024
REASONS = [
    ("oversized", "Too large"),
    ("unroutable", "No recipient matches"),
    ("error", "Could not be processed"),
]


class AtelierMailQuarantine(models.Model):
    """An incoming e-mail the mail gateway could not turn into a record.

    Odoo's incoming mail servers mark every fetched message as read, and a
    message whose processing fails is rolled back and then forgotten: it stays
    read in the mailbox, nobody sees it. Here it is kept instead, whole (the
    raw message as an attachment), with why it was set aside; the desk then
    processes it again (after fixing what blocked it) or discards it."""

    _name = "atelier.mail.quarantine"
    _description = "E-mail set aside"
    _order = "create_date desc, id desc"

    name = fields.Char(string="Subject", readonly=True)
    email_from = fields.Char(string="From", readonly=True)
    email_to = fields.Char(string="To", readonly=True)
    message_id = fields.Char(string="Message-Id", readonly=True, index="btree_not_null")
    date = fields.Datetime(
        string="Received on", readonly=True, default=fields.Datetime.now
    )
    size = fields.Integer(string="Size (bytes)", readonly=True)
    reason = fields.Selection(REASONS, required=True, readonly=True)
    error = fields.Text(string="Details", readonly=True)
    state = fields.Selection(
        [
            ("new", "To review"),
            ("processed", "Processed"),
            ("discarded", "Discarded"),
        ],
        default="new",
        required=True,
        readonly=True,
        index=True,
    )
    fetchmail_server_id = fields.Many2one(
        "fetchmail.server", string="Mailbox", readonly=True, ondelete="set null"
    )
    attachment_id = fields.Many2one(
        "ir.attachment", string="Original message", readonly=True, ondelete="restrict"
    )
    raw_filename = fields.Char(related="attachment_id.name", string="File name")
    raw_datas = fields.Binary(related="attachment_id.datas", string="Raw message")
    user_id = fields.Many2one(
        "res.users", string="Handled by", readonly=True, ondelete="set null"
    )
    res_model = fields.Char(string="Became a", readonly=True)
    res_id = fields.Many2oneReference(
        string="Record", model_field="res_model", readonly=True
    )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_process(self):
        """Run the mail gateway again on the original message, without the
        size limit: a new ticket, or an answer threaded on its ticket."""
        self._check_desk()
        for record in self:
            if record.state != "new":
                raise UserError(self.env._("This e-mail was already handled."))
            raw = base64.b64decode(record.sudo().attachment_id.datas or b"")
            thread = (
                self.env["mail.thread"]
                .sudo()
                .with_context(atelier_desk_force_process=True)
            )
            try:
                with self.env.cr.savepoint():
                    thread.message_process(None, raw)
            except Exception as exc:  # noqa: BLE001 - shown to the user
                _logger.info("Quarantined e-mail %s still fails: %s", record.id, exc)
                raise UserError(
                    self.env._(
                        "This e-mail still cannot be processed: %(error)s",
                        error=str(exc),
                    )
                ) from None
            vals = {"state": "processed", "user_id": self.env.uid}
            target = record._processed_message()
            if target:
                vals.update(res_model=target.model, res_id=target.res_id)
            record.sudo().write(vals)
        return self._action_result()

    def action_discard(self):
        self._check_desk()
        if self.filtered(lambda r: r.state != "new"):
            raise UserError(self.env._("This e-mail was already handled."))
        self.sudo().write({"state": "discarded", "user_id": self.env.uid})
        return True

    def action_open_record(self):
        self.ensure_one()
        self._check_desk()
        if not (self.res_model and self.res_id):
            raise UserError(self.env._("This e-mail did not become a record."))
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "views": [[False, "form"]],
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _quarantine(self, raw, reason, error=None, server_id=None):
        """Keep ``raw`` (bytes) aside with its headers and ``reason``."""
        headers = self._read_headers(raw)
        record = self.sudo().create(
            {
                "name": headers.get("subject") or self.env._("(no subject)"),
                "email_from": headers.get("from"),
                "email_to": headers.get("to"),
                "message_id": headers.get("message-id"),
                "size": len(raw),
                "reason": reason,
                "error": error,
                "fetchmail_server_id": server_id or False,
            }
        )
        record.attachment_id = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"message-{record.id}.eml",
                    "mimetype": "message/rfc822",
                    "raw": raw,
                    "res_model": self._name,
                    "res_id": record.id,
                }
            )
        )
        _logger.info(
            "Incoming e-mail %s from %s set aside (%s), kept as quarantine %s",
            record.message_id,
            record.email_from,
            reason,
            record.id,
        )
        return record

    @api.model
    def _read_headers(self, raw):
        """Subject, From, To, Message-Id of a message, as readable text; empty
        for headers that cannot be read."""
        head = raw[:HEADER_BYTES]
        end = head.find(b"\r\n\r\n")
        if end < 0:
            end = head.find(b"\n\n")
        if end >= 0:
            head = head[: end + 2]
        try:
            message = email.message_from_bytes(head, policy=email.policy.default)
        except Exception:  # noqa: BLE001 - any garbage is still kept
            return {}
        values = {}
        for name in ("subject", "from", "to", "message-id"):
            try:
                value = message.get(name)
            except Exception:  # noqa: BLE001 - a broken header stays unread
                value = None
            if value:
                # the database refuses NUL characters
                values[name] = str(value).replace("\x00", "")[:512]
        return values

    @api.model
    def _error_text(self, exc):
        lines = traceback.format_exception_only(type(exc), exc)
        return "".join(lines).strip()[:4000]

    def _processed_message(self):
        """The message the gateway stored for this e-mail, if any."""
        self.ensure_one()
        if not self.message_id:
            return self.env["mail.message"]
        return (
            self.env["mail.message"]
            .sudo()
            .search(
                [("message_id", "=", self.message_id), ("model", "!=", False)],
                order="id desc",
                limit=1,
            )
        )

    def _check_desk(self):
        if not self.env.user.has_group("atelier_base.group_assistant"):
            raise AccessError(self.env._("Only the desk handles e-mails set aside."))
        self.check_access("read")

    def _action_result(self):
        if len(self) == 1 and self.res_model and self.res_id:
            return self.action_open_record()
        return True
