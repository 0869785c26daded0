#!/usr/bin/env bash
# Runs ruff (pinned in packages/bridge/python/requirements-frameworks.txt, installed into .venv by
# scripts/setup-python.sh) over the bridge's Python side.
#   bash scripts/ruff.sh check    # lint + format check (what CI runs); exits non-zero on any finding
#   bash scripts/ruff.sh format   # rewrite: format, and apply the safe lint fixes
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="$root/packages/bridge/python"
bash "$root/scripts/setup-python.sh" >/dev/null
ruff="${BATON_VENV:-$root/.venv}/bin/ruff"
case "${1:-check}" in
  check) "$ruff" check "$py" && "$ruff" format --check "$py" ;;
  format) "$ruff" check --fix "$py" && "$ruff" format "$py" ;;
  *) echo "usage: bash scripts/ruff.sh check|format" >&2; exit 2 ;;
esac
