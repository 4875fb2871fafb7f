#!/usr/bin/env bash
# `npm start`: provision what is missing, then run the local stack in the foreground.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/provision.sh
# exec: Ctrl-C and SIGTERM go straight to devStack, which stops its children.
exec node --no-node-snapshot --import tsx scripts/devStack.ts "$@"
