#!/usr/bin/env bash
# `npm test`: provision (including chromium for browser tests), type-check,
# then jest against real Temporal and FerretDB servers (started by test/globalSetup.ts).
# Extra arguments go to jest, e.g. `npm test -- test/unit`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/provision.sh --browser --local-model
echo "test: typecheck (tsc -b: one project per target)"
npm run --silent typecheck
echo "test: jest"
NODE_OPTIONS="--no-node-snapshot${NODE_OPTIONS:+ $NODE_OPTIONS}" npx jest --ci "$@"
