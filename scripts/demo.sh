#!/usr/bin/env bash
# Installs what the demo needs and runs it: a workflow with fan-out, fan-in,
# a conditional step, a retried step and a circuit breaker opening.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/pnpm.sh install
bash scripts/pnpm.sh exec turbo run build --filter=@baton/examples...
bash scripts/pnpm.sh --filter @baton/examples demo
