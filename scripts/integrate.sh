#!/usr/bin/env bash
# Maintainer helper: after committing a set of packages, resolve the lockfile for exactly
# what is committed (in a fresh clone), amend it into the commit, and run CI there.
# Usage: bash scripts/integrate.sh [--no-ci]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
clone="${BATON_INTEGRATE_DIR:-/tmp/baton-integrate}"
rm -rf "$clone" && git clone -q "$repo" "$clone"
cd "$clone"
bash scripts/pnpm.sh install --no-frozen-lockfile >/dev/null
if ! git diff --quiet -- pnpm-lock.yaml; then
  sha="$(git -C "$repo" hash-object -w "$clone/pnpm-lock.yaml")"
  git -C "$repo" update-index --add --cacheinfo "100644,$sha,pnpm-lock.yaml"
  git -C "$repo" -c user.name="Baton Lead" -c user.email="lead@baton.dev" commit -q --amend --no-edit
  echo "lockfile amended into $(git -C "$repo" rev-parse --short HEAD)"
  git fetch -q "$repo" main && git reset -q --hard FETCH_HEAD
fi
[ "${1:-}" = "--no-ci" ] && exit 0
CI=true bash .ci/run > "$clone.log" 2>&1 && status=0 || status=$?
tail -15 "$clone.log"
echo "CI exit $status (log: $clone.log)"
exit "$status"
