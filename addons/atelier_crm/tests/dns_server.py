# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A real DNS server on 127.0.0.1 answering MX questions from a table.

The forms' resolver talks to it over UDP exactly as it would to the
system's resolver: the client code under test is the real one.
"""

import socket
import struct
import threading


def _encode(name):
    if name == ".":
        return b"\x00"
    return (
        b"".join(bytes([len(p)]) + p.encode() for p in name.strip(".").split("."))
        + b"\x00"
    )


class LocalDnsServer:
    def __init__(self, mx_table):
        """``mx_table``: {domain: [exchanges]}; "." is a null MX; unknown
        domains get NXDOMAIN; a domain mapped to None gets no answer."""
        self.mx_table = {k.lower(): v for k, v in mx_table.items()}
        self.queries = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()

    def _serve(self):
        while not self._stop.is_set():
            try:
                packet, addr = self.sock.recvfrom(512)
            except (TimeoutError, OSError):
                continue
            answer = self._answer(packet)
            if answer:
                self.sock.sendto(answer, addr)

    def _answer(self, packet):
        query_id = struct.unpack("!H", packet[:2])[0]
        offset, labels = 12, []
        while packet[offset]:
            length = packet[offset]
            labels.append(packet[offset + 1 : offset + 1 + length].decode())
            offset += 1 + length
        question = packet[12 : offset + 5]
        domain = ".".join(labels).lower()
        self.queries.append(domain)
        if domain in self.mx_table and self.mx_table[domain] is None:
            return None  # a server that never answers: the client times out
        exchanges = self.mx_table.get(domain)
        rcode = 0 if exchanges is not None else 3
        records = b""
        for exchange in exchanges or []:
            rdata = struct.pack("!H", 0 if exchange == "." else 10) + _encode(exchange)
            records += struct.pack("!HHHIH", 0xC00C, 15, 1, 300, len(rdata)) + rdata
        header = struct.pack(
            "!HHHHHH", query_id, 0x8180 | rcode, 1, len(exchanges or []), 0, 0
        )
        return header + question + records
