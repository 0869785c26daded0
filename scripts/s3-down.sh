#!/usr/bin/env bash
# Stops the S3 server started by scripts/s3-up.sh and removes its data and <repo>/.s3/env.
# Safe to run when nothing is running. Only the processes named in the server's own pid files are signalled.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${BATON_S3_DATA_DIR:-${TMPDIR:-/tmp}/baton-s3}"

pids=()
for daemon in client.rgw osd.0 mon.a; do
  file="$data/run/$daemon.pid"
  [ -s "$file" ] || continue
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null && pids+=("$pid"); fi
done

# Wait up to 10 s for a clean exit, then force it.
for _ in $(seq 40); do
  left=()
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && left+=("$pid"); done
  [ ${#left[@]} -eq 0 ] && break
  sleep 0.25
done
for pid in "${left[@]:-}"; do [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; done

rm -rf "$data" "$root/.s3/env"
echo "s3-down: stopped ${#pids[@]} daemon(s); removed $data" >&2
