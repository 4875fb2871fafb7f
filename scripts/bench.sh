#!/usr/bin/env bash
# `npm run bench`: provision, then run bench/run.ts if the benchmarks exist.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/provision.sh --local-model
if [ ! -f bench/run.ts ]; then
  echo "bench: bench/run.ts does not exist yet; nothing to run" >&2
  exit 1
fi
exec node --no-node-snapshot --import tsx bench/run.ts "$@"
