#!/usr/bin/env bash
# Issue 16's measure: what forwarding a read to another datacenter adds. Two datacenters of one server each
# (dc1 on 127.0.0.1, HTTP 8501; dc2 on 127.0.0.4, HTTP 8504; joined over the WAN port 8302), and the same GET of one
# key sent to the dc1 server, once for dc1 itself (?dc=dc1, read here) and once for dc2 (?dc=dc2, forwarded to the
# dc2 server and answered there): latency at 1 client (p50/p99) and throughput at 64, with both servers' CPU.
# Usage: bench/multidc.sh [ops-per-phase]
# Needs target/beacon.jar (or BEACON_JAR). The generator is bench/ForwardedReads.java (../shared/kvbench has no way
# to add ?dc= to its requests): one thread and keep-alive socket per client, one fixed request target. Every phase
# is bounded by its op count and a 180 s time limit, after WARMUP (default 10) unmeasured seconds of the same load.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
# shellcheck source=bench/phases.sh
. "$here/phases.sh"
ops=${1:-20000}
jar=${BEACON_JAR:-$here/../target/beacon.jar}
[ -f "$jar" ] || { echo "no $jar: run 'mvn -B package -DskipTests' first" >&2; exit 1; }
stamp=$(date -u +%Y%m%dT%H%M%SZ)
work="$here/results/multidc-$stamp"
out="$here/results/multidc-$stamp.txt"
mkdir -p "$work"

start_server() { # index address datacenter join-wan
  JAVA_OPTS="-Xmx1g -XX:+ExitOnOutOfMemoryError" BEACON_JAR="$jar" "$here/../bin/beacon" \
    --beacon.node-name="s$1" --beacon.datacenter="$3" --beacon.bind-address="$2" --beacon.client-address="$2" \
    --beacon.retry-join-wan="$4" --beacon.data-dir="$work/s$1" --beacon.ports.http="850$1" \
    >> "$work/s$1.log" 2>&1 &
  echo $! > "$work/s$1.pid"
}

# measured NAME DC CLIENTS : one measured phase of GETs of key x through the dc1 server, for datacenter DC
measured() {
  local name=$1 dc=$2 clients=$3 pids before after line
  pids="$(cat "$work/s1.pid") $(cat "$work/s4.pid")"
  java "$here/ForwardedReads.java" 127.0.0.1 8501 "/v1/kv/x?dc=$dc" "$clients" $((ops * 5)) "${WARMUP:-10}" > /dev/null
  # shellcheck disable=SC2086
  before=$(cpu_seconds $pids)
  line=$(java "$here/ForwardedReads.java" 127.0.0.1 8501 "/v1/kv/x?dc=$dc" "$clients" "$ops" 180)
  # shellcheck disable=SC2086
  after=$(cpu_seconds $pids)
  echo "$line" | awk -v name="$name" -v cpu="$(awk -v a="$after" -v b="$before" 'BEGIN { print a - b }')" '{
    split($1, n, "="); split($2, e, "="); split($4, r, "="); split($5, p50, "="); split($6, p99, "=")
    printf "%-26s %8s ops/s  p50 %8s  p99 %8s  errors %s  CPU of both servers %6.1f s  %7.0f ops per CPU-s\n",
      name, r[2], p50[2], p99[2], e[2], cpu, (cpu > 0 ? n[2] / cpu : 0) }'
}

trap 'stop_pids "$work" s1 s4' EXIT
BEACON_JAR="$jar" "$here/../bin/beacon" prepare
start_server 4 127.0.0.4 dc2 127.0.0.1
start_server 1 127.0.0.1 dc1 127.0.0.4
for _ in $(seq 1 120); do
  if curl -s http://127.0.0.1:8501/v1/catalog/datacenters | grep -q dc2 \
      && curl -s http://127.0.0.4:8504/v1/catalog/datacenters | grep -q dc1; then break; fi
  sleep 1
done
curl -sf -X PUT --data-binary value 'http://127.0.0.1:8501/v1/kv/x?dc=dc1' > /dev/null
curl -sf -X PUT --data-binary value 'http://127.0.0.1:8501/v1/kv/x?dc=dc2' > /dev/null
{
  echo "# $(date -u) $(nproc) cores; $ops GETs of one key per phase through the dc1 server (1 client: a tenth)"
  ops_all=$ops
  ops=$((ops_all / 10))
  measured "local  c1 (?dc=dc1)" dc1 1
  measured "forwarded c1 (?dc=dc2)" dc2 1
  ops=$ops_all
  measured "local  c64 (?dc=dc1)" dc1 64
  measured "forwarded c64 (?dc=dc2)" dc2 64
} | tee "$out"
echo "results in $out"
