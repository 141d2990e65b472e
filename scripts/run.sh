#!/usr/bin/env bash
# Serve the Atelier demo: setup, create (first time) or upgrade the database
# "atelier" with the whole suite and its demo data, then run Odoo on
# http://localhost:8069 until Ctrl-C.
#
# Environment: ATELIER_DB (default atelier), ATELIER_PORT (default 8069),
# ODOO_SRC, ATELIER_VENV (see setup.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"

"$ROOT/scripts/setup.sh"
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"

DB="${ATELIER_DB:-atelier}"
PORT="${ATELIER_PORT:-8069}"

if psql -lqt 2>/dev/null | cut -d'|' -f1 | grep -qw "$DB"; then
    echo "==> Upgrading database $DB"
    odoo_bin -d "$DB" -u atelier --stop-after-init --log-level=warn
else
    echo "==> Creating database $DB with the Atelier suite and its demo data"
    # French first: the demo users (Claire, Gaëtan, Martine) work in French
    odoo_bin -d "$DB" -i atelier --with-demo --load-language=fr_FR \
        --stop-after-init --log-level=warn
fi

cat <<MSG

==> Atelier is served on http://localhost:$PORT  (Ctrl-C to stop)
    Demo logins (login / password):
      admin   / admin     administrator, Atelier manager
      claire  / claire    Claire Moreau, customer-service assistant
      gaetan  / gaetan    Gaëtan Lefèvre, technician
      martine / martine   Martine Leroy, a client on the portal (/my)

MSG
# exec: Ctrl-C reaches Odoo directly, which shuts down cleanly
exec "$PY" "$ODOO_SRC/odoo-bin" -c "$ROOT/odoo.conf" --addons-path="$ADDONS_PATH" \
    -d "$DB" --db-filter="^$DB\$" --http-port="$PORT"
