#!/usr/bin/env bash
# Re-records the workflow histories under test/fixtures/histories/ that the replay test
# (test/unit/workflows-replayHistories.test.ts) replays. Run it after a deliberate, versioned change
# to a workflow's commands (with patched() for running workflows), never to silence a replay failure.
# The three tests below run the workflows (chatTurn on the dev server; the others time-skipped) and
# write their histories when RECORD_HISTORIES=1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RECORD_HISTORIES=1 NODE_OPTIONS="--no-node-snapshot${NODE_OPTIONS:+ $NODE_OPTIONS}" npx jest --ci --runTestsByPath \
  test/integration/chatTurn.test.ts \
  test/integration/evolution-workflows.test.ts \
  test/integration/generateTool-workflow.test.ts \
  -t 'a message runs analyse|manual: waits for a person, then promotes|below full a person approves, and the tool is promoted'
ls -l test/fixtures/histories
