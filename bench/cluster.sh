#!/usr/bin/env bash
# Starts or stops a three-server Beacon cluster on 127.0.0.1-3 (HTTP 8501-8503, Raft 8300) in the background.
# Usage: bench/cluster.sh start|stop [work-dir]   (default work-dir: bench/results/cluster)
# Only the processes this script started (their PIDs are kept in the work dir) are ever stopped.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
jar="$here/../target/beacon.jar"
work=${2:-$here/results/cluster}

start() {
  [ -f "$jar" ] || { echo "no $jar: run 'mvn -B package -DskipTests' first" >&2; exit 1; }
  mkdir -p "$work"
  for i in 1 2 3; do
    others=$(for j in 1 2 3; do if [ "$j" != "$i" ]; then printf '127.0.0.%s,' "$j"; fi; done)
    java -Xmx1g -jar "$jar" --beacon.node-name="s$i" --beacon.bind-address="127.0.0.$i" \
      --beacon.client-address="127.0.0.$i" --beacon.bootstrap-expect=3 --beacon.retry-join="${others%,}" \
      --beacon.data-dir="$work/s$i" --beacon.ports.http="850$i" > "$work/s$i.log" 2>&1 &
    echo $! > "$work/s$i.pid"
  done
  for _ in $(seq 1 120); do
    leaders=$(for i in 1 2 3; do curl -s "http://127.0.0.$i:850$i/v1/status/leader" || true; echo; done | sort -u)
    if [ "$(echo "$leaders" | wc -l)" = 1 ] && [ -n "$leaders" ] && [ "$leaders" != '""' ]; then
      echo "beacon cluster up, leader $leaders"; return 0
    fi
    sleep 1
  done
  echo "beacon cluster did not elect a leader; see $work/*.log" >&2; exit 1
}

stop() {
  stop_pids "$work" s1 s2 s3
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop [work-dir]" >&2; exit 2 ;;
esac
