#!/usr/bin/env bash
# Issue 15's measure: the seed's etcd v2 workloads through /v2/keys, against a three-server Beacon (its etcd port,
# 2379 on 127.0.0.1-3) and a three-member etcd 3.4 with --enable-v2 (23791), one system at a time, with
# ../shared/kvbench --target etcd2. Prints ops/s, p50 and ops per server CPU-second for each phase.
# Usage: bench/etcd2.sh [ops-per-phase] [beacon|etcd|both]
# Needs target/beacon.jar (or BEACON_JAR), Debian's etcd-server and the kvbench jar (KVBENCH, default
# /tmp/kvbench/kvbench.jar; see bench/kvbench.sh). Every phase is bounded by its op count and a 180 s time limit,
# after WARMUP (default 10) unmeasured seconds, and each system first gets WARM_UP (default 120) seconds of
# mixed load (see phases.sh). PHASES picks phases (default: "put1 put16 put64 get quorum").
# The servers' logs stay in bench/results/; their data directories are removed after the run (KEEP_DATA=1 keeps them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/phases.sh
. "$here/phases.sh"
ops=${1:-20000}
which=${2:-both}
kvbench=${KVBENCH:-/tmp/kvbench/kvbench.jar}
[ -f "$kvbench" ] || { echo "no $kvbench: build ../shared/kvbench first (see bench/kvbench.sh)" >&2; exit 1; }
export PHASES=${PHASES:-put1 put16 put64 get quorum}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$here/results/etcd2-$stamp.txt"
mkdir -p "$here/results"

workload() { # system endpoints pids
  local system=$1 endpoints=$2 pids=$3
  warm etcd2 "$endpoints"
  one_client_puts "$system v2" "$system" etcd2 "$endpoints" "$pids"
  phase put16 "$system v2 put c16" etcd2 "$endpoints" "$pids" --mode put --clients 16 --ops "$ops"
  phase put64 "$system v2 put c64" etcd2 "$endpoints" "$pids" --mode put --clients 64 --ops "$ops"
  preload etcd2 "$endpoints"
  # Five times the ops: at ~10,000 reads/s a phase of $ops lasts seconds, too short to tell systems apart here.
  phase get "$system v2 get c64" etcd2 "$endpoints" "$pids" --mode get --clients 64 --ops "$((ops * 5))" \
    --keyspace 10000
  phase quorum "$system v2 get quorum c64" etcd2 "$endpoints" "$pids" --mode get --clients 64 --ops "$ops" \
    --keyspace 10000 --consistency strong
}

run_beacon() {
  local work="$here/results/cluster-$stamp"
  "$here/cluster.sh" start "$work" >&2
  workload beacon 127.0.0.1:2379,127.0.0.2:2379,127.0.0.3:2379 "$(cat "$work"/s*.pid | tr '\n' ' ')"
  "$here/cluster.sh" stop "$work"
  drop_data "$work"
}

run_etcd() {
  local work="$here/results/etcd-$stamp"
  "$here/etcd.sh" start "$work" >&2
  workload etcd 127.0.0.1:23791,127.0.0.2:23791,127.0.0.3:23791 "$(cat "$work"/e*.pid | tr '\n' ' ')"
  "$here/etcd.sh" stop "$work"
  drop_data "$work"
}

{
  echo "# $(date -u) $(nproc) cores; $ops ops per phase (1 client: a tenth; get: five times); 256 B keys, 1 KiB values; etcd v2 API"
  case "$which" in
    beacon) run_beacon ;;
    etcd) run_etcd ;;
    both) run_beacon; run_etcd ;;
    *) echo "usage: $0 [ops] [beacon|etcd|both]" >&2; exit 2 ;;
  esac
} | tee "$out"
echo "results in $out"
