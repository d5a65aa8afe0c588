#!/usr/bin/env bash
# Single-node Ceph radosgw (S3 with real Object Lock) on 127.0.0.1 for integration tests.
#   .ci/radosgw.sh start <dataDir> <port>   -> last line: RADOSGW_ENDPOINT=http://127.0.0.1:<port>
#   .ci/radosgw.sh stop  <dataDir>
# One mon + one memstore OSD (RAM only, no disks) + radosgw, auth disabled, pool size 1.
# Everything (conf, mon/osd data, logs, pids, sockets) lives under <dataDir>, and every
# command gets -c <dataDir>/ceph.conf, so /etc/ceph and /var/lib/ceph are never used.
set -euo pipefail

ACCESS_KEY=radosgw-test-access
SECRET_KEY=radosgw-test-secret

usage() { echo "usage: $0 start <dataDir> <port> | stop <dataDir>" >&2; exit 2; }

stop() {
  local d=$1 f pid
  [ -d "$d/run" ] || return 0
  # rgw first, then osd, then mon, so nobody waits for a vanished peer.
  for f in "$d"/run/client.*.pid "$d"/run/osd.*.pid "$d"/run/mon.*.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do alive "$pid" || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$f"
  done
}

# Alive = exists and not a zombie (daemons are reparented to PID 1, which may reap late).
alive() { [ -n "$1" ] && ps -o stat= -p "$1" 2>/dev/null | grep -qv Z; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# On failure: show the daemons' log tails, then stop whatever did start.
fail() { for f in "$1"/log/*.log; do echo "=== $f"; tail -n 40 "$f"; done >&2 || true; stop "$1"; }

start() {
  local d port; d=$(mkdir -p "$1" && cd "$1" && pwd); port=$2
  if ! command -v radosgw >/dev/null; then
    # Lists may be stale/missing on a fresh CI image: retry after an update.
    local apt=(apt-get -y -q); [ "$(id -u)" = 0 ] || apt=(sudo apt-get -y -q)  # non-root CI runners
    local pkgs=(radosgw ceph-mon ceph-osd ceph-common)
    export DEBIAN_FRONTEND=noninteractive
    "${apt[@]}" install --no-install-recommends "${pkgs[@]}" \
      || { "${apt[@]}" update && "${apt[@]}" install --no-install-recommends "${pkgs[@]}"; }
  fi
  local c=(-c "$d/ceph.conf")
  if [ -f "$d/run/client.rgw.pid" ] && alive "$(cat "$d/run/client.rgw.pid")" \
     && grep -q "endpoint=127.0.0.1:$port\$" "$d/ceph.conf"; then
    echo "radosgw already running for $d" >&2   # idempotent: reuse it
  else
    stop "$d"  # half-started or other port: wipe and rebuild, no orphans left
    setup "$d" "$port"
  fi

  # Idempotent: only create the user when it does not exist yet.
  radosgw-admin "${c[@]}" user info --uid=test >/dev/null 2>&1 \
    || radosgw-admin "${c[@]}" user create --uid=test --display-name=test \
         --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >/dev/null
  echo "RADOSGW_ENDPOINT=http://127.0.0.1:$port"
}

setup() {
  local d=$1 port=$2
  trap 'fail "$d"' ERR
  rm -rf "$d/mon" "$d/osd" "$d/rgw" "$d/log" "$d/run" "$d/crash"
  mkdir -p "$d/mon" "$d/osd" "$d/rgw" "$d/log" "$d/run" "$d/crash"

  local fsid monport conf="$d/ceph.conf"
  fsid=$(cat /proc/sys/kernel/random/uuid)
  monport=$(free_port)  # not the default 3300/6789: no clash with any other cluster
  cat >"$conf" <<EOF
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$monport
public addr = 127.0.0.1
cluster addr = 127.0.0.1
auth cluster required = none
auth service required = none
auth client required = none
keyring = $d/keyring
mon data = $d/mon/\$name
osd data = $d/osd/\$name
rgw data = $d/rgw/\$name
run dir = $d/run
pid file = $d/run/\$name.pid
admin socket = $d/run/\$name.\$pid.asok
log file = $d/log/\$name.log
crash dir = $d/crash
osd objectstore = memstore
memstore device bytes = 2147483648
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
# The mon shuts itself down below 5 % free disk (crowded CI runners); tests don't care.
mon data avail crit = 0
[client]
# Without this radosgw hangs ~300 s talking to the mon (auth none).
ms mon client mode = crc secure
[client.rgw]
rgw frontends = beast endpoint=127.0.0.1:$port
EOF
  local c=(-c "$conf")
  : >"$d/keyring"  # auth is off; an empty keyring just silences lookups

  # Explicit monmap so mon.a binds our port instead of the default 3300/6789.
  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$monport]" "$d/monmap" >/dev/null
  ceph-mon "${c[@]}" --mkfs -i a --monmap "$d/monmap"
  ceph-mon "${c[@]}" -i a                      # daemonizes, writes run/mon.a.pid
  local osduuid osdid; osduuid=$(cat /proc/sys/kernel/random/uuid)
  osdid=$(timeout 60 ceph "${c[@]}" osd new "$osduuid")  # registers osd.N in the osdmap
  mkdir -p "$d/osd/osd.$osdid"
  ceph-osd "${c[@]}" -i "$osdid" --mkfs --osd-uuid "$osduuid"
  ceph-osd "${c[@]}" -i "$osdid"
  radosgw "${c[@]}" -n client.rgw              # daemonizes, writes run/client.rgw.pid

  local deadline=$((SECONDS + 120)) pidf="$d/run/client.rgw.pid"
  until curl -s -m 5 -o /dev/null "http://127.0.0.1:$port/"; do
    # rgw keeps running when beast cannot bind (port busy): detect that from its log too.
    if [ $SECONDS -ge $deadline ] || { [ -f "$pidf" ] && ! alive "$(cat "$pidf")"; } \
       || grep -q 'failed initializing frontend' "$d/log/client.rgw.log" 2>/dev/null; then
      echo "radosgw did not answer on 127.0.0.1:$port (died, port busy or 120 s timeout)" >&2
      fail "$d"; exit 1
    fi
    sleep 1
  done
  trap - ERR
}

case "${1:-}" in
  start) [ $# -eq 3 ] || usage; start "$2" "$3" ;;
  stop)  [ $# -eq 2 ] || usage; stop "$2" ;;
  *) usage ;;
esac
