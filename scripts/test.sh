#!/usr/bin/env bash
# `npm test`: provision (including chromium for browser tests), type-check,
# then jest: the `unit` project without servers, then `integration`, `durability` and `e2e`
# against real Temporal and FerretDB servers (started once by test/globalSetup.ts).
# Extra arguments go to jest, e.g. `npm test -- --selectProjects e2e` or a test file's path.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/provision.sh --browser --local-model
echo "test: typecheck (tsc -b: one project per target)"
npm run --silent typecheck
echo "test: lint (eslint, zero warnings) and format (prettier --check)"
npm run --silent lint
npm run --silent format:check
echo "test: jest"
NODE_OPTIONS="--no-node-snapshot${NODE_OPTIONS:+ $NODE_OPTIONS}" npx jest --ci "$@"
