# Shared by scripts/workshop and scripts/check: make .venv and install the kit into it.
# Re-installs only when pyproject.toml changes, so the second run starts at once.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${TW_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"

# Install Debian packages that are missing, as root or through sudo, saying what and why.
ensure_debian_packages() {
  [ "$#" -gt 0 ] || return 0
  if ! command -v apt-get >/dev/null; then
    echo "error: please install: $* (this script knows only Debian's apt-get)" >&2
    exit 2
  fi
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null; then
      sudo="sudo"
    else
      echo "error: please install, as root: apt-get install $*" >&2
      exit 2
    fi
  fi
  echo "Installing Debian packages: $*"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

ensure_venv() {
  local extras="$1"
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "error: the kit needs Python 3.11 or newer as '$PYTHON' (set PYTHON=... to choose one)." >&2
    exit 2
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    # Debian ships venv's pip bootstrap separately, as python3-venv.
    "$PYTHON" -c 'import ensurepip' 2>/dev/null || ensure_debian_packages python3-venv
    if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
      echo "error: '$PYTHON -m venv' failed. On Debian or Ubuntu: sudo apt-get install python3-venv" >&2
      rm -rf "$VENV"
      exit 2
    fi
  fi
  local stamp="$VENV/.tw-installed-$extras"
  local want
  want="$(cat "$ROOT/pyproject.toml" | sha256sum | cut -c1-16)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "Installing the kit into $VENV (first run takes a few minutes)..."
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT[$extras]"
    echo "$want" > "$stamp"
  fi
}
