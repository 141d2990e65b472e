# Shared by run.sh and test.sh: where things are.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_SRC="${ODOO_SRC:-/opt/odoo/19.0}"
VENV="${ATELIER_VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"
OCA_ADDONS="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' 2>/dev/null)/odoo/addons"
ADDONS_PATH="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$OCA_ADDONS,$ROOT/addons"
export ODOO_SRC ROOT VENV PY ADDONS_PATH

odoo_bin() {
    "$PY" "$ODOO_SRC/odoo-bin" -c "$ROOT/odoo.conf" --addons-path="$ADDONS_PATH" "$@"
}

# Every Atelier addon (folder addons/atelier*, installable), one per line
atelier_addons() {
    local d
    for d in "$ROOT"/addons/atelier*/; do
        [ -f "$d/__manifest__.py" ] || continue
        "$PY" - "$d/__manifest__.py" <<'PYEOF' && basename "$d"
import ast, sys
manifest = ast.literal_eval(open(sys.argv[1]).read())
sys.exit(0 if manifest.get("installable", True) else 1)
PYEOF
    done
}
