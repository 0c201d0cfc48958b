#!/usr/bin/env bash
# Runs the same KV workload against a 3-server Beacon and a 3-member etcd 3.4 on this machine, one after the
# other, and prints the results side by side. Each system runs alone (the other is stopped) so they never share
# the two cores. Every run is bounded by a request count and a time limit (see KvLoad.java).
# Usage: bench/compare-etcd.sh [requests-per-run]     (needs target/beacon.jar and Debian's etcd-server)
# WATCHERS=N sets the number of parked blocking queries in the watcher run (default 10000).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
requests=${1:-20000}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$here/results/compare-$stamp.txt"
mkdir -p "$here/results"
beacon_urls=http://127.0.0.1:8501,http://127.0.0.2:8502,http://127.0.0.3:8503
etcd_urls=http://127.0.0.1:23791,http://127.0.0.2:23791,http://127.0.0.3:23791

workload() { # target urls
  for clients in 1 16 64; do
    n=$requests; [ "$clients" = 1 ] && n=$((requests / 10))
    java "$here/KvLoad.java" --target "$1" --urls "$2" --op put --clients "$clients" --requests "$n" --max-seconds 120
  done
  java "$here/KvLoad.java" --target "$1" --urls "$2" --op get --clients 64 --requests "$requests" --max-seconds 120
  java "$here/KvLoad.java" --target "$1" --urls "$2" --op stale-get --clients 64 --requests "$requests" --max-seconds 120
}

trap '"$here/cluster.sh" stop "$here/results/cluster-$stamp" || true; "$here/etcd.sh" stop "$here/results/etcd-$stamp" || true' EXIT
{
  echo "# $(date -u) $(nproc) cores; $requests requests per run (1 client: a tenth); 256 B keys, 1 KiB values"
  "$here/cluster.sh" start "$here/results/cluster-$stamp" >&2
  workload consul "$beacon_urls"
  pids=$(cat "$here/results/cluster-$stamp"/s*.pid | paste -sd, -)
  java "$here/WatchLoad.java" --urls "$beacon_urls" --watchers "${WATCHERS:-10000}" --pids "$pids" --max-seconds 240
  "$here/cluster.sh" stop "$here/results/cluster-$stamp"
  "$here/etcd.sh" start "$here/results/etcd-$stamp" >&2
  workload etcd "$etcd_urls"
  "$here/etcd.sh" stop "$here/results/etcd-$stamp"
} | tee "$out"
echo "results in $out"
