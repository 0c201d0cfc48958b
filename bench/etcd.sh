#!/usr/bin/env bash
# Starts or stops a three-member etcd (Debian package etcd-server, 3.4) on 127.0.0.1-3, client port 23791 and
# peer port 23801, so that it never collides with Beacon's own ports. Usage: bench/etcd.sh start|stop [work-dir]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
work=${2:-$here/results/etcd}
cluster="e1=http://127.0.0.1:23801,e2=http://127.0.0.2:23801,e3=http://127.0.0.3:23801"

start() {
  command -v etcd >/dev/null || { echo "etcd not found: apt-get install etcd-server" >&2; exit 1; }
  mkdir -p "$work"
  for i in 1 2 3; do
    ETCD_UNSUPPORTED_ARCH= etcd --name "e$i" --data-dir "$work/e$i" \
      --listen-client-urls "http://127.0.0.$i:23791" --advertise-client-urls "http://127.0.0.$i:23791" \
      --listen-peer-urls "http://127.0.0.$i:23801" --initial-advertise-peer-urls "http://127.0.0.$i:23801" \
      --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token beacon-bench --enable-v2=true \
      > "$work/e$i.log" 2>&1 &
    echo $! > "$work/e$i.pid"
  done
  for _ in $(seq 1 60); do
    if curl -s http://127.0.0.1:23791/health | grep -q '"health":"true"'; then echo "etcd cluster up"; return 0; fi
    sleep 1
  done
  echo "etcd did not become healthy; see $work/*.log" >&2; exit 1
}

stop() {
  stop_pids "$work" e1 e2 e3
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop [work-dir]" >&2; exit 2 ;;
esac
