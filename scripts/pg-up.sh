#!/usr/bin/env bash
# Starts a throwaway, real PostgreSQL server for @baton/checkpoint-pg's integration tests, from Debian's
# packages (`postgresql`, 15 on this machine), with its own data dir, port and unix socket dir. Then writes
# the connection settings to <repo>/.pg/env as `export` lines.
#
#   bash scripts/pg-up.sh && set -a && . .pg/env && set +a
#
# Idempotent: a healthy server from an earlier call is reused (well under a second); a stopped one is started
# again on its data. initdb refuses to run as root, so as root the server runs as the `postgres` user
# (`runuser -u postgres`), which owns the data dir; as any other user it runs as that user.
# The server listens on 127.0.0.1 only; TCP logins need the password generated at initdb (in .pg/env).
# Settings (env): BATON_PG_PORT (54329), BATON_PG_DIR (<repo>/.pg), BATON_PG_SOCKET_DIR (<dir>/run, or
# /tmp/baton-pg-<port> when that path is too long for a socket), BATON_PG_BIN (the newest
# /usr/lib/postgresql/*/bin, else initdb's dir on PATH), BATON_PG_TIMEOUT seconds for readiness (60).
# Stop it with scripts/pg-down.sh (which also removes its data).
set -Eeuo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${BATON_PG_DIR:-$root/.pg}"
data="$dir/data"
env_file="$dir/env"
port="${BATON_PG_PORT:-54329}"
run="${BATON_PG_SOCKET_DIR:-$dir/run}"
# A unix socket path must fit in 107 bytes; a deep checkout gets its socket dir under /tmp instead.
if [ -z "${BATON_PG_SOCKET_DIR:-}" ] && [ ${#run} -gt 80 ]; then run="${TMPDIR:-/tmp}/baton-pg-$port"; fi
user=baton
database=baton
timeout_s="${BATON_PG_TIMEOUT:-60}"
started_at=$(date +%s)
deadline=$((started_at + timeout_s)) # reset after the package install, whose time depends on the mirror

log() { echo "pg-up: $*" >&2; }

# On any failure: show what the server said, stop what we started, leave no half-started server behind.
on_error() {
  local status=$? line=$1 command=$2
  trap - ERR
  log "FAILED (exit $status) after $(($(date +%s) - started_at))s at line $line: $command"
  for file in "$dir/postgres.log" "$dir/initdb.log"; do
    [ -f "$file" ] || continue
    echo "----- $file (last 40 lines)" >&2
    tail -n 40 "$file" >&2 || true
  done
  as_pg "$bin/pg_ctl" -D "$data" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
  exit "$status"
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo -n "$@"
  else log "need root (or passwordless sudo) to run: $*"; return 1
  fi
}

# The server's own user: `postgres` when we are root (initdb and postgres refuse root), else ourselves.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

find_bin() {
  if [ -n "${BATON_PG_BIN:-}" ]; then echo "$BATON_PG_BIN"; return 0; fi
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$newest" ] && [ -x "$newest/initdb" ]; then echo "$newest"; return 0; fi
  command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)"
}

install_packages() {
  bin=$(find_bin) && [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ] && return 0
  log "installing Debian packages (postgresql)"
  as_root apt-get update -q >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql >&2
  bin=$(find_bin)
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ready() { "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -d "$database" -U "$user" -t 2; }
sql() { as_pg "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$run" -p "$port" -U "$user" -d postgres -tAc "$1"; }

# The tests' database; initdb only makes `postgres`. A real login (over TCP, with the password) proves it works.
database_ready() {
  [ "$(sql "SELECT 1 FROM pg_database WHERE datname = '$database'")" = 1 ] || sql "CREATE DATABASE $database" || return 1
  PGPASSWORD=$(cat "$dir/password") "$bin/psql" -X -q -h 127.0.0.1 -p "$port" -U "$user" -d "$database" -tAc 'SELECT 1' >/dev/null
}
running() { [ -f "$data/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

# Polls "$@" until it succeeds or the deadline passes.
wait_for() {
  local what=$1; shift
  until "$@"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then log "timed out after ${timeout_s}s waiting for $what"; return 1; fi
    sleep 0.25
  done
}

write_env() {
  local password; password=$(cat "$dir/password")
  cat > "$env_file.tmp" <<ENV
export BATON_PG_URL=postgres://$user:$password@127.0.0.1:$port/$database
export BATON_PG_HOST=127.0.0.1
export BATON_PG_PORT=$port
export BATON_PG_USER=$user
export BATON_PG_PASSWORD=$password
export BATON_PG_DATABASE=$database
ENV
  chmod 600 "$env_file.tmp"
  mv "$env_file.tmp" "$env_file"
}

init_cluster() {
  rm -rf "$data"
  # Fresh password per cluster: nothing else on the machine can guess it. (uuids avoid SIGPIPE under pipefail.)
  (umask 077; tr -d '\n-' < /proc/sys/kernel/random/uuid > "$dir/password")
  local pwfile="$run/initdb.pw"
  cp "$dir/password" "$pwfile"
  [ "$(id -u)" = 0 ] && chown postgres: "$pwfile"
  as_pg "$bin/initdb" -D "$data" -U "$user" --pwfile="$pwfile" -A scram-sha-256 --auth-local=trust \
    -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
  rm -f "$pwfile"
  # Loopback only, own socket dir; durable commits (fsync, synchronous_commit) stay at their defaults.
  cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$run'
max_connections = 200
shared_buffers = 64MB
CONF
}

main() {
  mkdir -p "$dir"
  # Two callers at once (parallel test runs) must not both initdb the same directory.
  exec 9>"$dir/lock"
  flock -w "$timeout_s" 9 || { log "timed out waiting for another pg-up (lock $dir/lock)"; exit 1; }
  install_packages
  deadline=$(($(date +%s) + timeout_s))
  trap 'on_error "$LINENO" "$BASH_COMMAND"' ERR
  if running && [ -s "$dir/password" ] && ready && database_ready 2>/dev/null; then
    write_env
    log "reusing the running server on 127.0.0.1:$port; settings in $env_file"
    return 0
  fi
  mkdir -p "$run"
  chmod 700 "$run"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir" "$run"
  if [ ! -s "$data/PG_VERSION" ] || [ ! -s "$dir/password" ]; then init_cluster; fi
  if port_taken "$port"; then log "port 127.0.0.1:$port is taken by another program (set BATON_PG_PORT)"; false; fi
  # The server forks into the background; it must not inherit the lock (fd 9), or it would stay held.
  as_pg "$bin/pg_ctl" -D "$data" -l "$dir/postgres.log" -o "-p $port" -w -t "$timeout_s" start </dev/null 9>&- >/dev/null
  wait_for "PostgreSQL on 127.0.0.1:$port" ready
  wait_for "database $database" database_ready
  write_env
  log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') ready on 127.0.0.1:$port in $(($(date +%s) - started_at))s; settings in $env_file"
}

main "$@"
