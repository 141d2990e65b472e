#!/usr/bin/env bash
# Odoo 19 mistakes no linter catches (STYLE.md). Prints offending lines.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY_RE='_sql_constraints\s*=|def name_get\(|\.read_group\(|self\._(cr|uid|context)\b|type=["'"'"']json["'"'"']|group_operator=|auto_join='
XML_RE='<tree\b|\battrs=|\bstates=|oe_chatter|kanban-box'
found=0
if [ -d addons ]; then
    if grep -rnE --include='*.py' "$PY_RE" addons; then found=1; fi
    if grep -rnE --include='*.xml' "$XML_RE" addons; then found=1; fi
fi
exit $found
