# Shared by scripts/up, scripts/test and .ci/run: install what is missing.

# ensure_apt PACKAGE...: install the Debian packages not yet installed.
ensure_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing system packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing system packages: ${missing[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
}

# ensure_python_env: uv, then the locked dependencies in .venv.
ensure_python_env() {
  if ! command -v uv >/dev/null 2>&1; then
    echo "Installing uv"
    python3 -m pip install --quiet uv
  fi
  uv sync --frozen --quiet
}

# System packages: gettext compiles translations; Pango, HarfBuzz and the
# Noto CJK fonts let WeasyPrint render Chinese PDFs.
RUNTIME_APT_PACKAGES=(gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk)
# Tests also drive a real Chromium and read PDFs back with poppler; libfaketime
# (faketime) runs the clock pass of scripts/test at a chosen wall-clock instant.
TEST_APT_PACKAGES=(chromium chromium-driver poppler-utils faketime)
