#!/usr/bin/env bash
# Atelier's test command (called by .ci/run): every Odoo test of every Atelier
# addon on real Odoo + PostgreSQL + Chromium, the bridge's and end-to-end
# pytest suites, then the linters. Ends with one line
#     N passed, N failed, N skipped
# and exits non-zero on any failure, skipped test or harness problem.
#
# Usage: scripts/test.sh [options]
#   -a, --addon NAME   only this addon (repeatable; default: all addons/atelier*)
#   -t, --tags TAGS    Odoo --test-tags selection (default: every test of the addons)
#   --odoo-only        skip pytest and lint
#   --no-pytest        skip the pytest suites
#   --no-lint          skip scripts/lint.sh
#   --keep-db          keep the throw-away database (printed at the end)
set -uo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"

ADDONS=()
TAGS=""
RUN_PYTEST=1
RUN_LINT=1
KEEP_DB=0
while [ $# -gt 0 ]; do
    case "$1" in
        -a|--addon) ADDONS+=("$2"); shift 2 ;;
        -t|--tags) TAGS="$2"; shift 2 ;;
        --odoo-only) RUN_PYTEST=0; RUN_LINT=0; shift ;;
        --no-pytest) RUN_PYTEST=0; shift ;;
        --no-lint) RUN_LINT=0; shift ;;
        --keep-db) KEEP_DB=1; shift ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
done

if ! "$ROOT/scripts/setup.sh"; then
    echo "ERROR: setup failed (see above): nothing was tested" >&2
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
fi
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"  # venv paths now exist

# --- prerequisites: a missing piece is a failure, never a silent skip -------
fatal=()
[ -f "$ODOO_SRC/odoo-bin" ] || fatal+=("Odoo source not found at $ODOO_SRC")
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
    || command -v google-chrome >/dev/null 2>&1 || fatal+=("Chromium not found: browser tours cannot run")
command -v wkhtmltopdf >/dev/null 2>&1 || fatal+=("wkhtmltopdf not found: PDF reports cannot render")
pg_isready -q 2>/dev/null || fatal+=("PostgreSQL is not running")
"$PY" -c "import websocket" 2>/dev/null || fatal+=("websocket-client missing from $VENV: browser tours would be skipped")
if [ "${#fatal[@]}" -gt 0 ]; then
    printf 'ERROR: %s\n' "${fatal[@]}" >&2
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
fi

if [ "${#ADDONS[@]}" -eq 0 ]; then
    mapfile -t ADDONS < <(atelier_addons)
fi
[ "${#ADDONS[@]}" -gt 0 ] || { echo "no Atelier addon found" >&2; exit 1; }
ADDON_LIST="$(IFS=,; echo "${ADDONS[*]}")"
if [ -z "$TAGS" ]; then
    TAGS="$(printf '/%s,' "${ADDONS[@]}")"; TAGS="${TAGS%,}"
    ALLOW_NO_TESTS=""
else
    ALLOW_NO_TESTS="--allow-no-tests"
fi

STAMP="$(date +%Y%m%d-%H%M%S)"
LOG_DIR="$ROOT/var/test"
mkdir -p "$LOG_DIR"
DB="atelier_test_${STAMP//-/_}_$$"
PORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
ODOO_LOG="$LOG_DIR/odoo-$STAMP.log"

PASSED=0; FAILED=0; SKIPPED=0
add_counts() { PASSED=$((PASSED + $1)); FAILED=$((FAILED + $2)); SKIPPED=$((SKIPPED + $3)); }

cleanup() {
    if [ "$KEEP_DB" = 0 ]; then dropdb --if-exists "$DB" >/dev/null 2>&1 || true
    else echo "kept database $DB"; fi
}
trap cleanup EXIT

# --- Odoo ----------------------------------------------------------------
echo
echo "==> Odoo tests: ${ADDONS[*]} (database $DB, port $PORT, log $ODOO_LOG)"
start=$(date +%s)
# Odoo's test payment provider, for the checkout tours of the addons whose
# tests use it: installed in this throw-away database only (payment_demo lets
# anyone "pay", so no addon depends on it)
EXTRA_MODULES=""
for addon in "${ADDONS[@]}"; do
    if grep -rqs "payment.payment_provider_demo" "$ROOT/addons/$addon/tests"; then
        EXTRA_MODULES=",payment_demo"
    fi
done
odoo_bin -d "$DB" -i "$ADDON_LIST$EXTRA_MODULES" --test-enable --test-tags "$TAGS" \
    --http-port "$PORT" --stop-after-init --log-level=info --logfile="$ODOO_LOG" \
    --db-filter="^$DB\$" >/dev/null 2>&1
odoo_rc=$?
echo "    odoo-bin exited with $odoo_rc after $(( $(date +%s) - start ))s"
grep -E " (ERROR|CRITICAL) | FAIL: |odoo.tests.stats|when loading database" "$ODOO_LOG" | tail -40 | sed 's/^/    /'
check_out="$("$PY" "$ROOT/scripts/check_odoo_log.py" "$ODOO_LOG" --addons "$ADDON_LIST" \
    --addons-dir "$ROOT/addons" $ALLOW_NO_TESTS)"
check_rc=$?
echo "$check_out" | grep -v '^ODOO_RESULT' || true
read -r p f s < <(echo "$check_out" | sed -n 's/^ODOO_RESULT passed=\([0-9]*\) failed=\([0-9]*\) skipped=\([0-9]*\)/\1 \2 \3/p')
if [ -z "${p:-}" ]; then p=0; f=1; s=0; fi
if [ "$odoo_rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "    odoo-bin failed"; fi
[ "$check_rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
add_counts "$p" "$f" "$s"
echo "    Odoo: $p passed, $f failed, $s skipped"

# --- French: every term of the installed addons, as exported now ----------
# The committed .pot files could be stale: export the terms of the code and
# data files from the test database and check each one is in fr.po.
echo
echo "==> French translations of what is installed"
I18N_CONF="$LOG_DIR/i18n-$STAMP.conf"
I18N_TGZ="$LOG_DIR/i18n-$STAMP.tgz"
{ cat "$ROOT/odoo.conf"; echo "addons_path = $ADDONS_PATH"; } > "$I18N_CONF"
if "$PY" "$ODOO_SRC/odoo-bin" i18n export -c "$I18N_CONF" -d "$DB" -o "$I18N_TGZ" \
        "${ADDONS[@]}" >"$LOG_DIR/i18n-$STAMP.log" 2>&1 \
    && "$PY" "$ROOT/scripts/check_i18n.py" --export "$I18N_TGZ" | sed 's/^/    /'; then
    add_counts 1 0 0
else
    echo "    FAILED: the export or its check (log: $LOG_DIR/i18n-$STAMP.log)"
    add_counts 0 1 0
fi
rm -f "$I18N_CONF"

# --- pytest suites (bridge, end to end) ------------------------------------
run_pytest() {  # name, path...
    local name="$1"; shift
    local xml="$LOG_DIR/pytest-$name-$STAMP.xml"
    echo
    echo "==> pytest $name: $*"
    ATELIER_ODOO_ADDONS_PATH="$ADDONS_PATH" ATELIER_ODOO_CONF="$ROOT/odoo.conf" \
        "$PY" -m pytest -q -p no:cacheprovider --junitxml="$xml" "$@"
    local rc=$?
    read -r t fl er sk < <("$PY" - "$xml" <<'PYEOF'
import sys, xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except (OSError, ET.ParseError):
    print(0, 1, 0, 0); sys.exit()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
tot = [sum(int(s.get(k, 0)) for s in suites) for k in ("tests", "failures", "errors", "skipped")]
print(*tot)
PYEOF
)
    local passed=$((t - fl - er - sk)) failed=$((fl + er))
    # pytest exit 5 = no test collected: that is a failure here
    if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
    if [ "$t" -eq 0 ]; then failed=$((failed + 1)); echo "    no test collected"; fi
    if [ "$sk" -gt 0 ]; then echo "    $sk skipped test(s): a skipped test is not a passed test"; fi
    add_counts "$passed" "$failed" "$sk"
}
if [ "$RUN_PYTEST" = 1 ]; then
    has_tests() { [ -d "$1" ] && find "$1" -name 'test_*.py' -print -quit | grep -q .; }
    if has_tests "$ROOT/obd_bridge/tests"; then
        run_pytest bridge "$ROOT/obd_bridge/tests"
    fi
    if has_tests "$ROOT/tests"; then
        run_pytest e2e "$ROOT/tests"
    fi
fi

# --- lint -------------------------------------------------------------------
if [ "$RUN_LINT" = 1 ]; then
    echo
    echo "==> lint"
    if "$ROOT/scripts/lint.sh"; then add_counts 1 0 0; else add_counts 0 1 0; fi
fi

echo
echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
if [ "$FAILED" -gt 0 ] || [ "$SKIPPED" -gt 0 ]; then
    exit 1
fi
exit 0
