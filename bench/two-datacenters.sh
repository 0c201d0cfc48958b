#!/usr/bin/env bash
# Starts or stops two datacenters of three Beacon servers each on loopback, joined over the WAN:
#   dc1: 127.0.0.1-3 (HTTP 8501-8503)   dc2: 127.0.0.4-6 (HTTP 8504-8506)
# Every server has DNS on 8600, Raft on 8300 and its WAN port on 8302 of its own address; each datacenter's
# servers list one server of the other in retry-join-wan.
# Usage: bench/two-datacenters.sh start|stop [work-dir]     (default work-dir: bench/results/two-datacenters)
# Then e.g.: curl 127.0.0.1:8501/v1/catalog/datacenters      -> ["dc1","dc2"]
#            curl -X PUT -d v '127.0.0.1:8501/v1/kv/k?dc=dc2'  (written in dc2, through a dc1 server)
#            dig @127.0.0.1 -p 8600 consul.service.dc2.consul
# BEACON_HEAP sets each server's -Xmx (default 512m); BEACON_JAR the jar (default target/beacon.jar).
# Only the processes this script started (their PIDs are kept in the work dir) are ever stopped.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
jar=${BEACON_JAR:-$here/../target/beacon.jar}
heap=${BEACON_HEAP:-512m}

# The datacenter of server i (1-6), its peers in that datacenter, and a server of the other one.
dc_of() { if [ "$1" -le 3 ]; then echo dc1; else echo dc2; fi; }

start_server() {
  local i=$1 work=$2 first others wan
  first=$(( $1 <= 3 ? 1 : 4 ))
  others=$(for j in $(seq "$first" $((first + 2))); do if [ "$j" != "$i" ]; then printf '127.0.0.%s,' "$j"; fi; done)
  wan=$(( $1 <= 3 ? 4 : 1 ))
  JAVA_OPTS="-Xmx$heap -XX:+ExitOnOutOfMemoryError" BEACON_JAR="$jar" "$here/../bin/beacon" \
    --beacon.node-name="s$i" --beacon.datacenter="$(dc_of "$i")" \
    --beacon.bind-address="127.0.0.$i" --beacon.client-address="127.0.0.$i" --beacon.bootstrap-expect=3 \
    --beacon.retry-join="${others%,}" --beacon.retry-join-wan="127.0.0.$wan" \
    --beacon.data-dir="$work/s$i" --beacon.ports.http="850$i" >> "$work/s$i.log" 2>&1 &
  echo $! > "$work/s$i.pid"
}

# Whether server i lists both datacenters.
federated() {
  curl -s "http://127.0.0.$1:850$1/v1/catalog/datacenters" | grep -q 'dc1.*dc2\|dc2.*dc1'
}

start() {
  local work=$1 ready
  [ -f "$jar" ] || { echo "no $jar: run 'mvn -B package -DskipTests' first" >&2; exit 1; }
  mkdir -p "$work"
  BEACON_JAR="$jar" "$here/../bin/beacon" prepare
  for i in 1 2 3 4 5 6; do start_server "$i" "$work"; done
  for _ in $(seq 1 180); do
    ready=0
    for i in 1 2 3 4 5 6; do
      leader=$(curl -s "http://127.0.0.$i:850$i/v1/status/leader" || true)
      if [ -n "$leader" ] && [ "$leader" != '""' ] && federated "$i"; then ready=$((ready + 1)); fi
    done
    if [ "$ready" = 6 ]; then
      echo "two datacenters up: dc1 on 127.0.0.1-3 (HTTP 8501-8503), dc2 on 127.0.0.4-6 (HTTP 8504-8506)"
      return 0
    fi
    sleep 1
  done
  echo "the datacenters did not come up and join in 180 s; see $work/*.log" >&2; exit 1
}

case "${1:-}" in
  start) start "${2:-$here/results/two-datacenters}" ;;
  stop) stop_pids "${2:-$here/results/two-datacenters}" s1 s2 s3 s4 s5 s6 ;;
  *) echo "usage: $0 start|stop [work-dir]" >&2; exit 2 ;;
esac
