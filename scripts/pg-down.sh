#!/usr/bin/env bash
# Stops the PostgreSQL server started by scripts/pg-up.sh and removes its data dir and <repo>/.pg/env.
# Safe to run when nothing is running. Only the server of this data dir is signalled (through pg_ctl).
# Settings (env): BATON_PG_DIR, BATON_PG_PORT, BATON_PG_SOCKET_DIR, BATON_PG_BIN (as in pg-up.sh).
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${BATON_PG_DIR:-$root/.pg}"
data="$dir/data"
port="${BATON_PG_PORT:-54329}"
run="${BATON_PG_SOCKET_DIR:-$dir/run}"
if [ -z "${BATON_PG_SOCKET_DIR:-}" ] && [ ${#run} -gt 80 ]; then run="${TMPDIR:-/tmp}/baton-pg-$port"; fi

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
bin="${BATON_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
[ -x "$bin/pg_ctl" ] || bin="$(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/pg_ctl)")"

stopped=0
if [ -f "$data/postmaster.pid" ] && [ -x "$bin/pg_ctl" ]; then
  # Fast shutdown (open sessions are ended), then immediate if it hangs past 20 s.
  if as_pg "$bin/pg_ctl" -D "$data" -m fast -w -t 20 stop >/dev/null 2>&1 \
    || as_pg "$bin/pg_ctl" -D "$data" -m immediate -w -t 10 stop >/dev/null 2>&1; then
    stopped=1
  fi
fi

rm -rf "$dir"
case "$run" in "$dir"/*) ;; *) rmdir "$run" 2>/dev/null ;; esac
echo "pg-down: stopped $stopped server(s); removed $dir" >&2
