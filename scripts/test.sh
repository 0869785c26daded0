#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh machine (Node deps, the Python
# venv with CrewAI/AutoGen, a local S3 server), then builds, type-checks and runs
# every test, unit and integration. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
pnpm() { bash scripts/pnpm.sh "$@"; }
section() { printf '\n\033[1m== %s\033[0m (%ss)\n' "$1" "$SECONDS"; }

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

rm -rf packages/*/test-results packages/bridge/python/test-results bench/test-results examples/test-results
export BATON_TEST_REPORT=1
section "build"
pnpm build
section "typecheck"
pnpm typecheck
section "unit tests"
status=0
pnpm test:unit || status=$?
section "integration tests"
pnpm test:int || status=$?
if [ -x .venv/bin/python ] && [ -d packages/bridge/python/tests ]; then
  section "python tests (bridge runners)"
  .venv/bin/python -m pytest packages/bridge/python/tests -q -p no:cacheprovider \
    --junitxml=packages/bridge/python/test-results/pytest.xml || status=$?
fi
section "summary"
node scripts/summarize-tests.mjs || status=$?
exit "$status"
