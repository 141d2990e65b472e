#!/usr/bin/env bash
# A private IMAP server (Dovecot) and an SMTP server that keeps what it
# receives, both on 127.0.0.1, until Ctrl-C: to point a local Odoo at real
# mail servers (see addons/atelier_desk/readme/CONFIGURE.md). The tests of
# atelier_desk start their own with the same code.
#
# Usage: scripts/mail_servers.sh [--imap-port N] [--smtp-port N]
#            [--domain atelier.test] [--mailbox support ...] [--password P]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] \
    || { echo "dovecot is missing: scripts/setup.sh installs dovecot-imapd" >&2; exit 1; }
# exec: Ctrl-C reaches the helper, which stops both servers
exec "$PY" "$ROOT/addons/atelier_desk/tests/mail_servers.py" serve "$@"
