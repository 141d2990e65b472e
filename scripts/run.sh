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

# Odoo installs in silence for a minute or more: follow its log and print
# one line per module, then the demo logins once it is done.
build() {  # what, odoo-bin arguments...
    local what="$1"; shift
    local log; log="$(mktemp --suffix=.log)"
    odoo_bin -d "$DB" "$@" --stop-after-init --log-level=info --logfile="$log" &
    local pid=$! shown=0 start; start=$(date +%s)
    show_progress() {
        local lines count
        lines="$(grep -o 'Loading module [a-z0-9_]* ([0-9]*/[0-9]*)' "$log" 2>/dev/null || true)"
        count="$(printf '%s' "$lines" | grep -c . || true)"
        if [ "$count" -gt "$shown" ]; then
            printf '%s\n' "$lines" | tail -n +"$((shown + 1))" | while read -r _ _ name progress; do
                printf '    %-9s %s\n' "${progress//[()]/}" "$name"
            done
            shown=$count
        fi
    }
    # "Loading module atelier_booking (57/65)", one line per module
    while kill -0 "$pid" 2>/dev/null; do
        show_progress
        sleep 1
    done
    show_progress
    if ! wait "$pid"; then
        echo "ERROR: $what failed; the end of its log ($log):" >&2
        grep -E " (ERROR|CRITICAL) " "$log" | tail -20 >&2 || tail -20 "$log" >&2
        exit 1
    fi
    grep -E " (ERROR|CRITICAL) " "$log" | tail -5 | sed 's/^/    /' || true
    # Odoo installs a module without its demo data, with a mere warning, when
    # one demo record fails: the suite would then open on empty screens
    if grep -q "demo data failed to install" "$log"; then
        echo "ERROR: $what: demo data of these modules failed to install ($log):" >&2
        grep -E "demo data failed to install|ParseError|Error" "$log" | tail -20 >&2
        exit 1
    fi
    echo "    $what done in $(( $(date +%s) - start ))s"
    rm -f "$log"
}

if psql -lqt 2>/dev/null | cut -d'|' -f1 | grep -qw "$DB"; then
    echo "==> Upgrading database $DB (one line per module)"
    build "upgrade" -u atelier
else
    echo "==> Creating database $DB with the Atelier suite and its demo data"
    echo "    about a minute on two cores; one line per module installed:"
    # French first: the demo users (Claire, Gaëtan, Martine) work in French
    build "installation" -i atelier --with-demo --load-language=fr_FR
    # The English base of the trouble codes (OBDex, CC0) when it is on this
    # machine; the suite never depends on it (users import such datasets with
    # the trouble-code import wizard).
    OBDEX="${ATELIER_OBDEX:-$ROOT/../shared/data/obdex}"
    if [ -d "$OBDEX/data/generic" ]; then
        echo "==> Importing the OBDex trouble codes from $OBDEX"
        "$PY" "$ROOT/scripts/kb_import_obdex.py" --db "$DB" "$OBDEX" | sed 's/^/    /'
    fi
fi

cat <<MSG

==> Atelier is served on http://localhost:$PORT  (Ctrl-C to stop)
    Demo logins: type the login (not an e-mail) in the "Email" field
    of the login page, then the password:
      admin   / admin     administrator, Atelier manager
      claire  / claire    Claire Moreau, customer-service assistant
      gaetan  / gaetan    Gaëtan Lefèvre, technician
      martine / martine   Martine Leroy, a client on the portal (/my)

MSG
# exec: Ctrl-C reaches Odoo directly, which shuts down cleanly
exec "$PY" "$ODOO_SRC/odoo-bin" -c "$ROOT/odoo.conf" --addons-path="$ADDONS_PATH" \
    -d "$DB" --db-filter="^$DB\$" --http-port="$PORT"
