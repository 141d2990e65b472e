#!/usr/bin/env bash
# The same checks as .pre-commit-config.yaml, on the whole repository:
# ruff, ruff format, pylint-odoo (OCA mandatory checks), the Odoo 19
# deprecation grep from STYLE.md, and complete French translations.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${ATELIER_VENV:-$ROOT/.venv}"
cd "$ROOT"
status=0
run() {  # label, command...
    local label="$1"; shift
    if "$@"; then echo "    ok: $label"; else echo "    FAILED: $label"; status=1; fi
}

run "ruff check" "$VENV/bin/ruff" check --quiet .
run "ruff format" "$VENV/bin/ruff" format --check --quiet .
mapfile -t addon_dirs < <(find addons -mindepth 1 -maxdepth 1 -type d -name 'atelier*' | sort)
if [ "${#addon_dirs[@]}" -gt 0 ]; then
    run "pylint-odoo" "$VENV/bin/pylint" --rcfile=.pylintrc-mandatory "${addon_dirs[@]}"
fi
run "odoo 19 deprecations" "$ROOT/scripts/check_deprecations.sh"
run "french translations" "$VENV/bin/python" scripts/check_i18n.py
exit $status
