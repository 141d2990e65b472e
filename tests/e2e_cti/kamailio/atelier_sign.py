# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""HMAC signer of the Atelier CTI events, run inside Kamailio (app_python3).

Kamailio 5.6 (Debian 12) has no HMAC function in its configuration language
(``crypto_hmac_sha256`` came with 5.8), so the routing script hands the
timestamp and the body to this module: ``python_exec("sign")`` reads
``$var(secret)``, ``$var(ts)`` and ``$var(body)`` and sets ``$var(sig)`` to
the hex HMAC-SHA256 of ``"<ts>.<body>"``, as Odoo checks it.
"""

import hashlib
import hmac

import KSR


def mod_init():
    return AtelierSigner()


class AtelierSigner:
    def child_init(self, rank):
        return 0

    def sign(self, msg, *args):
        secret = KSR.pv.get("$var(secret)") or ""
        payload = f"{KSR.pv.get('$var(ts)')}.{KSR.pv.get('$var(body)')}"
        mac = hmac.new(secret.encode(), payload.encode(), hashlib.sha256)
        KSR.pv.sets("$var(sig)", mac.hexdigest())
        return 1
