#!/usr/bin/env bash
# Sourced (not run) by the project's scripts: makes sure `node` on PATH is a supported Node (>= 22.12).
#
#   . scripts/node.sh                       # the system Node if it is >= 22.12, else the pinned Node 24 (.tools/)
#   BATON_NODE_MAJOR=22 . scripts/node.sh   # a Node 22: the one on PATH if it is 22.x >= 22.12, else the pinned 22
# (An environment variable, not an argument: a sourced script sees its caller's arguments when given none.)
#
# The pinned Node comes from the npm registry package `node-<platform>-<arch>@<version>` (the official binaries
# plus `include/` headers), installed once with npm into .tools/node-<version>/. It is put first on PATH and
# npm_config_nodedir points node-gyp at its headers, so native addons (better-sqlite3) build against the Node that
# runs them. Only linux-x64 binaries are published on the registry; other machines need their own Node >= 22.12.
baton_node_pinned_24="24.22.3"
baton_node_pinned_22="22.23.5"

baton_node_log() { printf 'scripts/node.sh: %s\n' "$*" >&2; }

# Prints "major minor" of the `node` on PATH, or nothing when there is none.
baton_node_system_version() {
  command -v node >/dev/null 2>&1 || return 0
  node -p 'process.versions.node.split(".").slice(0, 2).join(" ")' 2>/dev/null || true
}

# True when "major minor" ($1 $2) is a supported Node; with $3 set, it must also be that major.
baton_node_supported() {
  local major="$1" minor="$2" want_major="${3:-}"
  [ -n "$major" ] || return 1
  if [ -n "$want_major" ] && [ "$major" != "$want_major" ]; then return 1; fi
  [ "$major" -gt 22 ] || { [ "$major" -eq 22 ] && [ "$minor" -ge 12 ]; }
}

baton_node_use_pinned() {
  local version="$1" root platform arch pkg prefix bin
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  platform="$(uname -s | tr '[:upper:]' '[:lower:]')"
  arch="$(uname -m)"
  case "$arch" in x86_64) arch="x64" ;; aarch64) arch="arm64" ;; esac
  pkg="node-$platform-$arch"
  prefix="$root/.tools/node-$version"
  bin="$prefix/node_modules/$pkg/bin"
  if [ ! -x "$bin/node" ]; then
    if [ "$platform-$arch" != "linux-x64" ]; then
      baton_node_log "Node >= 22.12 is required and the registry has no $pkg binary to fetch; install Node 22.12+ or 24"
      return 1
    fi
    baton_node_log "system Node is older than 22.12; installing Node $version into .tools/ (from npm: $pkg@$version)"
    npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error "$pkg@$version" >&2
  fi
  export PATH="$bin:$PATH"
  export npm_config_nodedir="$prefix/node_modules/$pkg"
}

baton_node_select() {
  local want_major="${1:-}" version
  # shellcheck disable=SC2046
  if baton_node_supported $(baton_node_system_version) "$want_major"; then return 0; fi
  case "${want_major:-24}" in
    24) version="$baton_node_pinned_24" ;;
    22) version="$baton_node_pinned_22" ;;
    *) baton_node_log "no pinned Node for major '$want_major' (pinned: 24, 22)"; return 1 ;;
  esac
  baton_node_use_pinned "$version"
}

baton_node_select "${BATON_NODE_MAJOR:-}"
