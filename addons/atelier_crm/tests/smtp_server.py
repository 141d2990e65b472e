# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A real SMTP server on 127.0.0.1 (aiosmtpd) keeping what it receives."""

import email
import email.policy
import socket

from aiosmtpd.controller import Controller


class _Sink:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(
            (
                envelope.rcpt_tos,
                email.message_from_bytes(envelope.content, policy=email.policy.default),
            )
        )
        return "250 OK"


class LocalSmtpServer:
    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.sink = _Sink()
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self):
        return self.sink.messages

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    def received(self, address):
        return [msg for rcpts, msg in self.messages if address in rcpts]
