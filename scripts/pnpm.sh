#!/usr/bin/env bash
# Runs the pnpm version pinned in package.json's "packageManager", on any machine with Node and npm.
# Uses a matching pnpm on PATH if there is one; otherwise installs that exact version once into
# .tools/ with npm (corepack's signature check fails against some registries) and puts it on PATH,
# so tools that look for a `pnpm` binary themselves (turbo) find the same one.
# Node comes from scripts/node.sh: the system Node if it is >= 22.12, else the pinned one in .tools/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=node.sh
. "$root/scripts/node.sh"
want="$(node -p "require('$root/package.json').packageManager.split('@')[1]")"
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null)" = "$want" ]; then
  exec pnpm "$@"
fi
tools="$root/.tools/pnpm-$want"
if [ ! -x "$tools/node_modules/.bin/pnpm" ]; then
  echo "scripts/pnpm.sh: installing pnpm@$want into .tools/" >&2
  npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error "pnpm@$want" >&2
fi
export PATH="$tools/node_modules/.bin:$PATH"
exec pnpm "$@"
