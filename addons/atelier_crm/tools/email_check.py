# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""E-mail checks of the public forms: the syntax, then a domain that takes mail.

The MX lookup speaks DNS over UDP with the standard library (``socket``):
dnspython is not in the environment and a single MX question does not need
it. The resolver is an object the caller passes in, so tests point it at a
real DNS server they start on 127.0.0.1.
"""

import logging
import re
import secrets
import socket
import struct

_logger = logging.getLogger(__name__)

# the syntax Odoo's tools accept, with a length limit per label and overall
EMAIL_RE = re.compile(
    r"^[A-Za-z0-9._%+-]{1,64}@"
    r"(?=.{4,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,63}$"
)

_TYPE_MX = 15
_CLASS_IN = 1
_RCODE_NXDOMAIN = 3


class DnsError(Exception):
    """The resolver gave no usable answer (timeout, failure, garbage)."""


def _encode_name(domain):
    out = b""
    for label in domain.strip(".").split("."):
        raw = label.encode("idna")
        if not raw or len(raw) > 63:
            raise DnsError(f"bad label in {domain!r}")
        out += bytes([len(raw)]) + raw
    return out + b"\x00"


def _read_name(packet, offset):
    """Decode a (possibly compressed) name; returns (name, next offset)."""
    labels = []
    jumped = False
    next_offset = offset
    for _hop in range(64):
        if offset >= len(packet):
            raise DnsError("truncated name")
        length = packet[offset]
        if length & 0xC0 == 0xC0:
            if offset + 1 >= len(packet):
                raise DnsError("truncated pointer")
            pointer = ((length & 0x3F) << 8) | packet[offset + 1]
            if not jumped:
                next_offset = offset + 2
            jumped = True
            offset = pointer
            continue
        if length == 0:
            if not jumped:
                next_offset = offset + 1
            return ".".join(labels), next_offset
        labels.append(
            packet[offset + 1 : offset + 1 + length].decode("ascii", "replace")
        )
        offset += 1 + length
    raise DnsError("name loop")


def build_mx_query(domain, query_id):
    header = struct.pack("!HHHHHH", query_id, 0x0100, 1, 0, 0, 0)
    return header + _encode_name(domain) + struct.pack("!HH", _TYPE_MX, _CLASS_IN)


def parse_mx_answer(packet, query_id):
    """Mail exchangers of a DNS answer: a list (empty: the domain takes no
    mail, or does not exist). A null MX ("0 .", RFC 7505) counts as none."""
    if len(packet) < 12:
        raise DnsError("short answer")
    answer_id, flags, qdcount, ancount, _ns, _ar = struct.unpack("!HHHHHH", packet[:12])
    if answer_id != query_id or not flags & 0x8000:
        raise DnsError("not our answer")
    rcode = flags & 0x000F
    if rcode == _RCODE_NXDOMAIN:
        return []
    if rcode:
        raise DnsError(f"server error {rcode}")
    offset = 12
    for _q in range(qdcount):
        _name, offset = _read_name(packet, offset)
        offset += 4
    hosts = []
    for _a in range(ancount):
        _name, offset = _read_name(packet, offset)
        if offset + 10 > len(packet):
            raise DnsError("truncated record")
        rtype, _rclass, _ttl, rdlength = struct.unpack(
            "!HHIH", packet[offset : offset + 10]
        )
        offset += 10
        if rtype == _TYPE_MX:
            exchange, _end = _read_name(packet, offset + 2)
            if exchange:
                hosts.append(exchange.lower())
        offset += rdlength
    return hosts


def system_nameserver(path="/etc/resolv.conf"):
    try:
        with open(path, encoding="ascii", errors="replace") as handle:
            for line in handle:
                parts = line.split()
                if len(parts) >= 2 and parts[0] == "nameserver":
                    return parts[1]
    except OSError as exc:
        _logger.info("No resolver configuration in %s: %s", path, exc)
    return None


class DnsMxResolver:
    """Asks one name server for the MX records of a domain, over UDP."""

    def __init__(self, nameserver, port=53, timeout=1.5):
        self.nameserver = nameserver
        self.port = int(port)
        self.timeout = float(timeout)

    @classmethod
    def from_setting(cls, value, timeout=1.5):
        """``"host"`` or ``"host:port"``; empty means /etc/resolv.conf."""
        value = (value or "").strip()
        if not value:
            host = system_nameserver()
            return cls(host, timeout=timeout) if host else None
        host, port = value, 53
        if value.count(":") == 1:
            host, port = value.split(":")
        return cls(host, int(port or 53), timeout=timeout)

    def mx_hosts(self, domain):
        query_id = secrets.randbits(16)
        query = build_mx_query(domain, query_id)
        family = socket.AF_INET6 if ":" in self.nameserver else socket.AF_INET
        with socket.socket(family, socket.SOCK_DGRAM) as sock:
            sock.settimeout(self.timeout)
            try:
                sock.sendto(query, (self.nameserver, self.port))
                while True:
                    packet, _addr = sock.recvfrom(4096)
                    try:
                        return parse_mx_answer(packet, query_id)
                    except DnsError as exc:
                        if "not our answer" not in str(exc):
                            raise
            except OSError as exc:  # timeout, unreachable
                raise DnsError(str(exc)) from exc


def check_email(email, resolver=None):
    """``(normalized e-mail, problem)``; problem is None, ``"syntax"`` or
    ``"no_mx"``. A resolver that cannot answer lets the address through (a
    DNS outage must not lose a lead); that is logged."""
    email = (email or "").strip()
    if not EMAIL_RE.match(email):
        return None, "syntax"
    normalized = email.lower()
    if resolver is None:
        return normalized, None
    domain = normalized.rpartition("@")[2]
    try:
        hosts = resolver.mx_hosts(domain)
    except DnsError as exc:
        _logger.info(
            "MX lookup of %s gave no answer (%s): address accepted", domain, exc
        )
        return normalized, None
    if not hosts:
        return normalized, "no_mx"
    return normalized, None
