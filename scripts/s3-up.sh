#!/usr/bin/env bash
# Starts a throwaway, real S3 server on loopback for @baton/checkpoint-s3's integration tests:
# a single-node Ceph cluster (mon + memstore OSD) with radosgw in front, from Debian packages.
# Then creates a bucket and writes the connection settings to <repo>/.s3/env as `export` lines.
#
#   bash scripts/s3-up.sh && set -a && . .s3/env && set +a
#
# Idempotent: if the server from an earlier call is healthy, it is reused (a second or so).
# Packages are installed with apt-get (as root, or through passwordless sudo) only when missing.
# Settings (env): BATON_S3_PORT (7480), BATON_S3_MON_PORT (6789), BATON_S3_BUCKET (baton-test),
# BATON_S3_DATA_DIR (${TMPDIR:-/tmp}/baton-s3), BATON_S3_TIMEOUT seconds for readiness (180).
# Stop it with scripts/s3-down.sh. The data lives in memory: a stopped server keeps nothing.
set -Eeuo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
env_file="$root/.s3/env"
data="${BATON_S3_DATA_DIR:-${TMPDIR:-/tmp}/baton-s3}"
port="${BATON_S3_PORT:-7480}"
mon_port="${BATON_S3_MON_PORT:-6789}"
bucket="${BATON_S3_BUCKET:-baton-test}"
region="us-east-1"
timeout_s="${BATON_S3_TIMEOUT:-180}"
started_at=$(date +%s)
deadline=$((started_at + timeout_s)) # reset after the package install, whose time depends on the mirror

log() { echo "s3-up: $*" >&2; }

# On any failure: show what the daemons said, stop what we started, leave no half-started server behind.
on_error() {
  local status=$? line=$1 command=$2
  trap - ERR
  log "FAILED (exit $status) after $(( $(date +%s) - started_at ))s at line $line: $command"
  log "logs follow (data dir: $data)"
  for file in "$data"/log/*.log "$data"/log/*.out; do
    [ -f "$file" ] || continue
    echo "----- $file (last 40 lines)" >&2
    tail -n 40 "$file" >&2 || true
  done
  stop_daemons
  exit "$status"
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo -n "$@"
  else log "need root (or passwordless sudo) to run: $*"; return 1
  fi
}

install_packages() {
  local missing=()
  for tool in radosgw ceph-mon ceph-osd ceph-authtool monmaptool radosgw-admin ceph curl timeout; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages (missing: ${missing[*]})"
  as_root apt-get update -q >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    radosgw ceph-mon ceph-osd ceph-base ceph-common curl coreutils >&2
}

pid_of() { local file="$data/run/$1.pid"; [ -s "$file" ] && cat "$file"; }
alive() { local pid; pid=$(pid_of "$1") && kill -0 "$pid" 2>/dev/null; }

stop_daemons() {
  local pids=() pid
  for daemon in client.rgw osd.0 mon.a; do
    if pid=$(pid_of "$daemon") && kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; pids+=("$pid"); fi
  done
  for _ in $(seq 40); do
    local left=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && left=1; done
    [ $left = 0 ] && return 0
    sleep 0.25
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}

# A signed S3 request. curl signs SigV4 itself; radosgw needs the payload hash header to be present.
s3() {
  local method=$1 path=$2; shift 2
  curl -sS -o /dev/null -w '%{http_code}' --max-time 10 -X "$method" \
    -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' --aws-sigv4 "aws:amz:$region:s3" \
    --user "$access_key:$secret_key" "$@" "http://127.0.0.1:$port$path" 2>/dev/null || echo 000
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Polls "$@" until it succeeds or the deadline passes.
wait_for() {
  local what=$1; shift
  until "$@"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then log "timed out after ${timeout_s}s waiting for $what"; return 1; fi
    sleep 0.5
  done
}

write_env() {
  mkdir -p "$(dirname "$env_file")"
  cat > "$env_file.tmp" <<ENV
export BATON_S3_ENDPOINT=http://127.0.0.1:$port
export BATON_S3_REGION=$region
export BATON_S3_ACCESS_KEY_ID=$access_key
export BATON_S3_SECRET_ACCESS_KEY=$secret_key
export BATON_S3_BUCKET=$bucket
ENV
  mv "$env_file.tmp" "$env_file"
}

# Reuse: all three daemons alive, and the recorded keys can create (or re-create) the bucket.
try_reuse() {
  [ -f "$data/baton-s3.conf" ] || return 1
  alive mon.a && alive osd.0 && alive client.rgw || return 1
  # shellcheck disable=SC1091
  . "$data/baton-s3.conf"
  bucket_ready
}

# The monitor can refuse admin commands for a moment after it starts ("EPERM: problem getting
# command descriptions from mon"), so each command is retried a few times before it counts as failed.
ceph_() {
  local try
  for try in 1 2 3 4 5; do
    timeout 60 ceph -c "$data/ceph.conf" "$@" >/dev/null 2>>"$data/log/ceph-cli.out" && return 0
    sleep "$try"
  done
  return 1
}

write_ceph_conf() {
  cat > "$data/ceph.conf" <<CONF
[global]
fsid = $1
mon host = v1:127.0.0.1:$mon_port
public addr = 127.0.0.1
ms bind msgr2 = false
auth cluster required = none
auth service required = none
auth client required = none
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
mon max pg per osd = 1000
mon allow pool size one = true
mon data avail warn = 1
mon data avail crit = 0
osd crush chooseleaf type = 0
run dir = $data/run
admin socket = $data/run/\$name.asok
log file = $data/log/\$name.log
pid file = $data/run/\$name.pid
keyring = $data/keyring
[mon]
mon data = $data/mon
[osd]
osd data = $data/osd
osd objectstore = memstore
memstore device bytes = 1073741824
osd crush update on start = false
osd class update on start = false
[client.rgw]
# tcp_nodelay: without it, keep-alive clients (the AWS SDK) wait ~40 ms per response for a delayed ACK.
rgw frontends = beast endpoint=127.0.0.1:$port tcp_nodelay=1
rgw data = $data/rgw
CONF
}

start_cluster() {
  local fsid
  fsid=$(cat /proc/sys/kernel/random/uuid)
  write_ceph_conf "$fsid"
  cd "$data"
  # Daemons fork into the background; their stdio goes to files so no caller's pipe is held open,
  # and they must not inherit the lock (fd 9), or it would stay held while they run.
  ceph-authtool --create-keyring keyring --gen-key -n mon. --cap mon "allow *" >/dev/null
  monmaptool --create --add a "v1:127.0.0.1:$mon_port" --fsid "$fsid" monmap >/dev/null
  ceph-mon -c ceph.conf --mkfs -i a --monmap monmap --keyring keyring >/dev/null
  timeout 120 ceph-mon -c ceph.conf -i a </dev/null 9>&- >>log/mon.a.out 2>&1
  timeout 60 ceph-osd -c ceph.conf -i 0 --mkfs </dev/null >>log/osd.0.out 2>&1
  ceph_ osd new "$(cat osd/fsid)"
  ceph_ osd crush add-bucket localhost host
  ceph_ osd crush move localhost root=default
  ceph_ osd crush add osd.0 1.0 host=localhost
  timeout 120 ceph-osd -c ceph.conf -i 0 </dev/null 9>&- >>log/osd.0.out 2>&1
  timeout 120 radosgw -c ceph.conf -n client.rgw </dev/null 9>&- >>log/client.rgw.out 2>&1
  timeout 120 radosgw-admin -c ceph.conf user create --uid=baton --display-name=baton \
    --access-key="$access_key" --secret="$secret_key" </dev/null >/dev/null 2>>log/radosgw-admin.out
}

# radosgw answers before its pools are usable; a bucket create that returns 200 (or "already yours") proves it works.
bucket_ready() {
  local code
  code=$(s3 PUT "/$bucket")
  [ "$code" = 200 ] || [ "$code" = 409 ]
}
rgw_answers() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port/" 2>/dev/null)" = 200 ]; }

main() {
  # Two callers at once (parallel test runs) must not both build a cluster in the same directory.
  exec 9>"$data.lock"
  flock -w "$timeout_s" 9 || { log "timed out waiting for another s3-up (lock $data.lock)"; exit 1; }
  install_packages
  deadline=$(( $(date +%s) + timeout_s ))
  if try_reuse; then
    write_env
    log "reusing the running server on 127.0.0.1:$port (bucket $bucket); settings in $env_file"
    return 0
  fi
  # Fresh keys per server: nothing else on the machine can guess them. (uuids avoid SIGPIPE under pipefail.)
  local uuid; uuid=$(cat /proc/sys/kernel/random/uuid)
  access_key="BATON$(echo "${uuid//-/}" | cut -c1-15 | tr 'a-f' 'A-F')"
  secret_key="$(cat /proc/sys/kernel/random/uuid /proc/sys/kernel/random/uuid | tr -d '\n-')"
  trap 'on_error "$LINENO" "$BASH_COMMAND"' ERR
  stop_daemons
  rm -rf "$data"
  mkdir -p "$data"/{run,log,mon,osd,rgw}
  for p in "$port" "$mon_port"; do
    if port_taken "$p"; then log "port 127.0.0.1:$p is taken by another program (set BATON_S3_PORT / BATON_S3_MON_PORT)"; false; fi
  done
  start_cluster
  wait_for "radosgw on 127.0.0.1:$port" rgw_answers
  wait_for "bucket $bucket" bucket_ready
  printf 'port=%s\naccess_key=%s\nsecret_key=%s\n' "$port" "$access_key" "$secret_key" > "$data/baton-s3.conf"
  write_env
  log "radosgw ready on http://127.0.0.1:$port (bucket $bucket) in $(( $(date +%s) - started_at ))s; settings in $env_file"
}

main "$@"
