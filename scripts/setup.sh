#!/usr/bin/env bash
# Prepare this machine for Atelier: system packages, Odoo 19.0 source, the
# project's virtualenv and a running PostgreSQL with a role for this user.
# Idempotent: a second run on a ready machine only checks, in seconds.
#
# Environment:
#   ODOO_SRC       Odoo 19.0 source tree (default /opt/odoo/19.0)
#   ATELIER_VENV   virtualenv to create/use (default <repo>/.venv)
#   ATELIER_SKIP_APT=1   do not install system packages (you manage them)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_SRC="${ODOO_SRC:-/opt/odoo/19.0}"
VENV="${ATELIER_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"
ODOO_GIT_URL="${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}"

step() { printf '\n==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
die() { printf '\nERROR: %s\n' "$*" >&2; exit "${2:-1}"; }

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi

# ---------------------------------------------------------------------------
step "1/5 System packages"
APT_PACKAGES=(
    postgresql postgresql-contrib libpq-dev
    wkhtmltopdf chromium poppler-utils
    # a real IMAP server for the e-mail channel tests
    dovecot-imapd
    fonts-dejavu-core fonts-noto-core fonts-liberation2
    libmagic1 git python3-venv xz-utils
    # a real SIP peer for the telephony end-to-end tests (tests/e2e_cti)
    kamailio kamailio-utils-modules kamailio-python3-modules sip-tester
)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$pkg")
done
if [ "${#missing[@]}" -eq 0 ]; then
    info "all present"
elif [ "${ATELIER_SKIP_APT:-0}" = "1" ]; then
    info "missing (ATELIER_SKIP_APT=1, not installing): ${missing[*]}"
else
    info "installing: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

# ---------------------------------------------------------------------------
step "2/5 Odoo 19.0 source at $ODOO_SRC"
if [ -f "$ODOO_SRC/odoo-bin" ] && [ -d "$ODOO_SRC/addons/web" ]; then
    info "found ($(sed -n "s/^version_info = (\([0-9]*\), \([0-9]*\).*/\1.\2/p" "$ODOO_SRC/odoo/release.py" 2>/dev/null || echo '?'))"
else
    info "absent: trying a shallow clone of the official repository (10 min limit)"
    $SUDO mkdir -p "$(dirname "$ODOO_SRC")"
    if ! timeout 600 $SUDO git clone --quiet --depth 1 --branch 19.0 "$ODOO_GIT_URL" "$ODOO_SRC"; then
        $SUDO rm -rf "$ODOO_SRC"
        cat >&2 <<MSG

ERROR: Odoo 19.0 Community is not installed at $ODOO_SRC and could not be
cloned from $ODOO_GIT_URL (no network, or the clone took longer than ten
minutes). Atelier runs Odoo from source and Odoo is not on PyPI: put a copy
of the Odoo 19.0 Community source tree (the folder that holds odoo-bin) at
$ODOO_SRC, or point ODOO_SRC at one, for instance
    git clone --depth 1 --branch 19.0 https://github.com/odoo/odoo.git $ODOO_SRC
or unpack an archive of the 19.0 branch there, then run this script again.
MSG
        exit 2
    fi
fi

# ---------------------------------------------------------------------------
step "3/5 Python virtualenv at $VENV"
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --upgrade pip wheel setuptools
fi
REQ_FILES=("$ROOT/scripts/requirements-odoo.txt" "$ROOT/requirements.txt" "$ROOT/requirements-oca.txt" "$ROOT/requirements-dev.txt")
[ -f "$ROOT/obd_bridge/pyproject.toml" ] && REQ_FILES+=("$ROOT/obd_bridge/pyproject.toml")
STAMP="$VENV/.atelier-requirements.sha256"
want="$(cat "${REQ_FILES[@]}" 2>/dev/null | sha256sum | cut -d' ' -f1)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
    info "requirements unchanged"
else
    info "installing Odoo's dependencies (wheels for Python 3.11)"
    "$VENV/bin/pip" install --quiet --prefer-binary -r "$ROOT/scripts/requirements-odoo.txt"
    info "installing Atelier's dependencies"
    "$VENV/bin/pip" install --quiet --prefer-binary -r "$ROOT/requirements.txt" -r "$ROOT/requirements-dev.txt"
    info "installing OCA addons (odoo-addon-* wheels, --no-deps: Odoo itself is not on PyPI)"
    "$VENV/bin/pip" install --quiet --no-deps -r "$ROOT/requirements-oca.txt"
    if [ -f "$ROOT/obd_bridge/pyproject.toml" ]; then
        info "installing the OBD bridge (editable, with its test extras)"
        "$VENV/bin/pip" install --quiet -e "$ROOT/obd_bridge[test]"
    fi
    echo "$want" > "$STAMP"
fi
"$VENV/bin/python" -c "import websocket, phonenumbers, psycopg2, lxml" \
    || die "the virtualenv at $VENV is incomplete; delete it and run again"

# ---------------------------------------------------------------------------
step "4/5 PostgreSQL"
pg_ready() { pg_isready -q -h "${PGHOST:-/var/run/postgresql}" 2>/dev/null; }
if pg_ready; then
    info "running"
else
    info "starting"
    if command -v pg_ctlcluster >/dev/null 2>&1 && pg_lsclusters -h 2>/dev/null | grep -q .; then
        while read -r ver cluster _; do
            $SUDO pg_ctlcluster "$ver" "$cluster" start || true
        done < <(pg_lsclusters -h)
    else
        $SUDO service postgresql start || true
    fi
    for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
    pg_ready || die "PostgreSQL does not answer on ${PGHOST:-/var/run/postgresql}"
fi
DB_ROLE="$(id -un)"
if [ "$DB_ROLE" = "postgres" ]; then
    die "do not run Atelier as the postgres OS user: Odoo refuses the postgres role"
fi
as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$*"; else sudo -u postgres sh -c "$*"; fi; }
if as_postgres "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$DB_ROLE'\"" | grep -q 1; then
    info "role $DB_ROLE exists"
else
    as_postgres "createuser --superuser '$DB_ROLE'"
    info "role $DB_ROLE created (peer authentication, no password)"
fi

# ---------------------------------------------------------------------------
step "5/5 Checks"
for tool in wkhtmltopdf chromium; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is missing"
done
info "wkhtmltopdf: $(wkhtmltopdf --version 2>/dev/null | head -1)"
info "chromium: $(chromium --version 2>/dev/null | head -1)"
info "python: $("$VENV/bin/python" --version)"
info "ready"
