#!/usr/bin/env bash
# Regenerate i18n/<addon>.pot from the code and the data files of Atelier
# addons, and merge it into i18n/fr.po (new entries come in untranslated:
# translate them, then scripts/check_i18n.py must print 0 problems).
#
# Usage: scripts/i18n_update.sh [-d DB] ADDON [ADDON ...]
#   -d DB   use this database, where the addons are already installed and
#           up to date (default: a throw-away database, installed without
#           demo data: demo data is written in French directly)
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"

DB=""
while [ $# -gt 0 ]; do
    case "$1" in
        -d) DB="$2"; shift 2 ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) break ;;
    esac
done
[ $# -gt 0 ] || { sed -n '2,10p' "$0"; exit 2; }
ADDONS=("$@")
LIST="$(IFS=,; echo "${ADDONS[*]}")"

CONF="$(mktemp --suffix=.conf)"
OWN_DB=0
cleanup() {
    rm -f "$CONF"
    if [ "$OWN_DB" = 1 ]; then dropdb --if-exists "$DB" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
{ cat "$ROOT/odoo.conf"; echo "addons_path = $ADDONS_PATH"; } > "$CONF"

if [ -z "$DB" ]; then
    DB="atelier_i18n_$$"
    OWN_DB=1
    echo "==> installing $LIST in $DB"
    if ! "$PY" "$ODOO_SRC/odoo-bin" -c "$CONF" -d "$DB" -i "$LIST" --stop-after-init \
        --no-http --log-level=warn; then
        echo "install failed" >&2
        exit 1
    fi
fi

echo "==> exporting the templates"
"$PY" "$ODOO_SRC/odoo-bin" i18n export -c "$CONF" -d "$DB" "${ADDONS[@]}" || exit 1

status=0
for addon in "${ADDONS[@]}"; do
    dir="$ROOT/addons/$addon/i18n"
    pot="$dir/$addon.pot"
    po="$dir/fr.po"
    [ -f "$pot" ] || { echo "no template for $addon"; status=1; continue; }
    if [ -f "$po" ]; then
        msgmerge --quiet --update --no-fuzzy-matching --backup=none "$po" "$pot"
    else
        sed -e 's/^"Language: \\n"/"Language: fr\\n"/' \
            -e 's/^"Plural-Forms: \\n"/"Plural-Forms: nplurals=2; plural=(n > 1);\\n"/' \
            "$pot" > "$po"
    fi
    # obsolete entries are dropped: they only hide what is missing
    msgattrib --no-obsolete -o "$po" "$po"
    left="$(msgattrib --untranslated --no-obsolete "$po" 2>/dev/null | grep -c '^msgid ' || true)"
    [ "$left" -gt 0 ] && left=$((left - 1))  # the header
    echo "    $addon: $left untranslated entr$( [ "$left" = 1 ] && echo y || echo ies) in i18n/fr.po"
done
exit $status
