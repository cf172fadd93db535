#!/usr/bin/env bash
# Installs the Debian packages (and npm packages for web/) that kazmig needs to build, test and
# run its demo. Idempotent: checks what is present first and is quiet when nothing is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  clang clang-format libclang-rt-14-dev
  libfmt-dev nlohmann-json3-dev libcli11-dev libfast-float-dev
  libsqlite3-dev sqlite3 libzip-dev libpugixml-dev zlib1g-dev libzstd-dev libisal-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libtbb-dev libeigen3-dev libnlopt-dev
  mpich libmpich-dev
  python3 python3-pandas
  # the report's PDF (kazmig report --pdf) and its browser and PDF tests; fonts with Cyrillic
  # and Kazakh letters for the Russian and Kazakh reports
  chromium poppler-utils fonts-dejavu-core fonts-noto-core
  # kazmig serve (docs/http.md): the HTTP server library, and wrk for bench/serve_load.sh
  libcpp-httplib-dev wrk
)

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]} > 0)); then
  echo "setup-deps: installing ${missing[*]}" >&2
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Front-end packages for the dashboard, when it exists.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ -f "$here/web/package.json" ]]; then
  if ! command -v npm >/dev/null 2>&1; then
    sudo_cmd=()
    if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  # npm ci when node_modules is missing or older than the lock file (npm keeps its own copy of
  # the lock it installed as node_modules/.package-lock.json).
  if [[ ! -f "$here/web/node_modules/.package-lock.json" ||
    "$here/web/package-lock.json" -nt "$here/web/node_modules/.package-lock.json" ]]; then
    (cd "$here/web" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
