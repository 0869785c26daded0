#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh machine (Node deps, the Python
# venv with CrewAI/AutoGen, a local S3 server, a local PostgreSQL), then builds, type-checks and runs
# every test, unit and integration, on Node 24 (or the system Node if it is >= 22.12), then the unit
# tests once more on Node 22, the lowest supported major. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
pnpm() { bash scripts/pnpm.sh "$@"; }
section() { printf '\n\033[1m== %s\033[0m (%ss)\n' "$1" "$SECONDS"; }

# A system Node older than 22.12 is replaced by the pinned Node 24 from .tools/ (see scripts/node.sh).
. scripts/node.sh
section "node $(node --version)"

section "install node dependencies"
if [ "${CI:-}" = "true" ]; then pnpm install --frozen-lockfile; else pnpm install; fi

if [ -f scripts/setup-python.sh ]; then
  section "python venv (bridges)"
  bash scripts/setup-python.sh
  export BATON_PYTHON="$PWD/.venv/bin/python"
fi
if [ -f scripts/s3-up.sh ]; then
  section "local S3 server"
  # A single-node Ceph start occasionally fails on a transient; s3-up cleans up after a failure, so try again.
  bash scripts/s3-up.sh || bash scripts/s3-up.sh || bash scripts/s3-up.sh
  trap 'bash scripts/s3-down.sh || true' EXIT
  set -a; . ./.s3/env; set +a
fi
# PostgreSQL for @baton/checkpoint-pg (scripts/pg-up.sh); the EXIT trap now stops it and then the S3 server.
if [ -f scripts/pg-up.sh ]; then
  section "local PostgreSQL server"
  bash scripts/pg-up.sh
  trap 'bash scripts/pg-down.sh || true; bash scripts/s3-down.sh 2>/dev/null || true' EXIT
  set -a; . ./.pg/env; set +a
fi

# The unit tests on Node 22, against the same build. The one native addon (better-sqlite3, used by the bench's
# LangGraph saver) is rebuilt for Node 22 first and for the main Node again afterwards.
node22_unit_pass() {
  local rc=0 main_node
  main_node="$(command -v node)"
  (
    export BATON_NODE_MAJOR=22
    . scripts/node.sh
    echo "node $(node --version) at $(command -v node)"
    pnpm --filter @baton/bench rebuild better-sqlite3
    BATON_TEST_REPORT_SUFFIX=-node22 pnpm test:unit
  ) || rc=$?
  if [ "${CI:-}" != "true" ]; then
    PATH="$(dirname "$main_node"):$PATH" BATON_NODE_MAJOR= pnpm --filter @baton/bench rebuild better-sqlite3 >/dev/null || rc=$?
  fi
  return "$rc"
}

# Debian's Chromium for the dashboard's browser tests (playwright-core).
section "chromium (dashboard browser tests)"
bash scripts/chromium.sh

rm -rf packages/*/test-results packages/bridge/python/test-results bench/test-results docs/test-results examples/test-results
export BATON_TEST_REPORT=1
status=0
section "lint and format check (Biome, ruff)"
pnpm lint || status=$?
section "build"
pnpm build
section "typecheck"
pnpm typecheck
section "unit tests"
pnpm test:unit || status=$?
section "integration tests"
pnpm test:int || status=$?
if [ -x .venv/bin/python ] && [ -d packages/bridge/python/tests ]; then
  section "python tests (bridge runners)"
  .venv/bin/python -m pytest packages/bridge/python/tests -q -p no:cacheprovider \
    --junitxml=packages/bridge/python/test-results/pytest.xml || status=$?
fi
section "unit tests again on Node 22 (the lowest supported major)"
node22_unit_pass || status=$?
section "summary"
node scripts/summarize-tests.mjs || status=$?
exit "$status"
