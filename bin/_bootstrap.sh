# Sourced by bin/demo and bin/test: installs what govoffice needs into ./.venv from the lock file.
# Only the Python interpreter (3.11) is taken from the machine; everything else comes from here.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
UV_VERSION="0.13.9"
PYTHON="${PYTHON:-python3}"
if [ ! -x .tools/bin/uv ] || ! .tools/bin/uv --version 2>/dev/null | grep -q "$UV_VERSION"; then
  echo "==> installing uv $UV_VERSION into .tools/"
  "$PYTHON" -m venv .tools
  .tools/bin/pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
export UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT="$ROOT/.venv"
echo "==> installing Python packages from uv.lock into .venv/"
.tools/bin/uv sync --frozen --quiet --python "$("$PYTHON" -c 'import sys; print(sys.executable)')" ${UV_SYNC_ARGS:-}
export PATH="$ROOT/.venv/bin:$PATH"

apt_install() {
  # Debian packages the platform or its tests need, installed only when missing.
  local missing=()
  for spec in "$@"; do
    # CMD:PKG installs PKG when CMD is not on the PATH; /GLOB:PKG when no file matches GLOB.
    local what="${spec%%:*}" pkg="${spec##*:}"
    if [ "${what#/}" != "$what" ]; then
      compgen -G "$what" >/dev/null || missing+=("$pkg")
    else
      command -v "$what" >/dev/null 2>&1 || missing+=("$pkg")
    fi
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "==> apt-get install ${missing[*]}"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

apt_install msgfmt:gettext
# Translations are compiled, not kept in git.
if compgen -G "govoffice/locale/*/LC_MESSAGES/*.po" >/dev/null; then
  govoffice compilemessages -v 0 --ignore=.venv --ignore=.tools --ignore=var
fi
