#!/usr/bin/env bash
# Runs the pnpm version pinned in package.json's "packageManager", on any machine with Node and npm.
# Order: a matching pnpm on PATH, then corepack (integrity keys off, because some registries
# mirror pnpm without the signatures corepack checks), then `npm exec` of the exact version.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
want="$(node -p "require('$root/package.json').packageManager.split('@')[1]")"
if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null)" = "$want" ]; then
  exec pnpm "$@"
fi
if command -v corepack >/dev/null 2>&1 && COREPACK_INTEGRITY_KEYS=0 COREPACK_ENABLE_DOWNLOAD_PROMPT=0 corepack pnpm --version >/dev/null 2>&1; then
  COREPACK_INTEGRITY_KEYS=0 COREPACK_ENABLE_DOWNLOAD_PROMPT=0 exec corepack pnpm "$@"
fi
exec npm exec --yes --loglevel=error "pnpm@$want" -- "$@"
