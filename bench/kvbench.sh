#!/usr/bin/env bash
# Runs issue 13's KV workload with ../shared/kvbench (a raw-socket generator far cheaper than the servers) against
# a three-server Beacon and a three-member etcd 3.4 on 127.0.0.1-3, one system at a time, and prints ops/s, p50
# and ops per server CPU-second (utime+stime of the server processes over each phase, from /proc).
# Usage: bench/kvbench.sh [ops-per-phase] [beacon|etcd|both]
# Needs target/beacon.jar (or BEACON_JAR), Debian's etcd-server, and the kvbench jar (KVBENCH, default
# /tmp/kvbench/kvbench.jar; build: mvn -q -f ../shared/kvbench/pom.xml package -DskipTests -Dkvbench.out=/tmp/kvbench).
# Every phase is bounded by its op count and a 180 s time limit, after WARMUP (default 10) unmeasured seconds;
# each system first gets WARM_UP (default 120) seconds of mixed load (see phases.sh).
# PHASES picks phases (default: "put1 put16 put64 get stale"), e.g. PHASES=stale for an A/B of stale reads.
# The servers' logs stay in bench/results/; their data directories are removed after the run (KEEP_DATA=1 keeps them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/phases.sh
. "$here/phases.sh"
ops=${1:-20000}
which=${2:-both}
kvbench=${KVBENCH:-/tmp/kvbench/kvbench.jar}
[ -f "$kvbench" ] || { echo "no $kvbench: build ../shared/kvbench first (see the header)" >&2; exit 1; }
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$here/results/kvbench-$stamp.txt"
mkdir -p "$here/results"
beacon_endpoints=127.0.0.1:8501,127.0.0.2:8502,127.0.0.3:8503
etcd_endpoints=127.0.0.1:23791,127.0.0.2:23791,127.0.0.3:23791

run_beacon() {
  local work="$here/results/cluster-$stamp" pids
  "$here/cluster.sh" start "$work" >&2
  pids=$(cat "$work"/s*.pid | tr '\n' ' ')
  warm consul "$beacon_endpoints"
  one_client_puts beacon beacon consul "$beacon_endpoints" "$pids"
  phase put16 "beacon put c16" consul "$beacon_endpoints" "$pids" --mode put --clients 16 --ops "$ops"
  phase put64 "beacon put c64" consul "$beacon_endpoints" "$pids" --mode put --clients 64 --ops "$ops"
  preload consul "$beacon_endpoints"
  phase get "beacon get default c64" consul "$beacon_endpoints" "$pids" --mode get --clients 64 --ops "$ops" \
    --keyspace 10000
  phase stale "beacon get stale c64" consul "$beacon_endpoints" "$pids" --mode get --clients 64 --ops "$ops" \
    --keyspace 10000 --consistency stale
  "$here/cluster.sh" stop "$work"
  drop_data "$work"
}

run_etcd() {
  local work="$here/results/etcd-$stamp" pids
  "$here/etcd.sh" start "$work" >&2
  pids=$(cat "$work"/e*.pid | tr '\n' ' ')
  warm etcd3 "$etcd_endpoints"
  one_client_puts etcd3 etcd etcd3 "$etcd_endpoints" "$pids"
  phase put16 "etcd3 put c16" etcd3 "$etcd_endpoints" "$pids" --mode put --clients 16 --ops "$ops"
  phase put64 "etcd3 put c64" etcd3 "$etcd_endpoints" "$pids" --mode put --clients 64 --ops "$ops"
  preload etcd3 "$etcd_endpoints"
  phase get "etcd3 get linearizable c64" etcd3 "$etcd_endpoints" "$pids" --mode get --clients 64 --ops "$ops" \
    --keyspace 10000
  preload etcd2 "$etcd_endpoints"
  phase stale "etcd2 get local c64" etcd2 "$etcd_endpoints" "$pids" --mode get --clients 64 --ops "$ops" \
    --keyspace 10000 --consistency stale
  "$here/etcd.sh" stop "$work"
  drop_data "$work"
}

{
  echo "# $(date -u) $(nproc) cores; $ops ops per phase (1 client: a tenth); 256 B keys, 1 KiB values"
  case "$which" in
    beacon) run_beacon ;;
    etcd) run_etcd ;;
    both) run_beacon; run_etcd ;;
    *) echo "usage: $0 [ops] [beacon|etcd|both]" >&2; exit 2 ;;
  esac
} | tee "$out"
echo "results in $out"
