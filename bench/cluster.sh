#!/usr/bin/env bash
# Starts or stops a three-server Beacon cluster on 127.0.0.1-3 (HTTP 8501-8503, Raft 8300) in the background.
# Usage: bench/cluster.sh start|stop [work-dir]          (default work-dir: bench/results/cluster)
#        bench/cluster.sh start-one|stop-one N [work-dir] (one server, N = 1..3, e.g. to restart a follower)
# Servers start through bin/beacon (extracted jar with a class-data-sharing archive, made before the first start).
# BEACON_HEAP sets each server's -Xmx (default 1g); BEACON_JAVA_OPTS more JVM options; BEACON_JAR the jar (default
# target/beacon.jar; a copy lets a long run go on while the project is rebuilt); BEACON_ARGS more settings for every
# server (e.g. ACLs on).
# Only the processes this script started (their PIDs are kept in the work dir) are ever stopped.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
jar=${BEACON_JAR:-$here/../target/beacon.jar}
heap=${BEACON_HEAP:-1g}

start_server() {
  local i=$1 work=$2 others
  others=$(for j in 1 2 3; do if [ "$j" != "$i" ]; then printf '127.0.0.%s,' "$j"; fi; done)
  # BEACON_ARGS is split into words on purpose: it holds several settings.
  # shellcheck disable=SC2086
  JAVA_OPTS="-Xmx$heap -XX:+ExitOnOutOfMemoryError ${BEACON_JAVA_OPTS:-}" BEACON_JAR="$jar" \
    "$here/../bin/beacon" --beacon.node-name="s$i" \
    --beacon.bind-address="127.0.0.$i" --beacon.client-address="127.0.0.$i" --beacon.bootstrap-expect=3 \
    --beacon.retry-join="${others%,}" --beacon.data-dir="$work/s$i" --beacon.ports.http="850$i" \
    ${BEACON_ARGS:-} >> "$work/s$i.log" 2>&1 &
  echo $! > "$work/s$i.pid"
}

start() {
  local work=$1
  [ -f "$jar" ] || { echo "no $jar: run 'mvn -B package -DskipTests' first" >&2; exit 1; }
  # A server left from another run would answer the readiness check below for servers that failed to start.
  for i in 1 2 3; do
    if curl -s -m 1 -o /dev/null "http://127.0.0.$i:850$i/v1/status/leader"; then
      echo "127.0.0.$i:850$i already answers: stop the cluster running there first" >&2; exit 1
    fi
  done
  mkdir -p "$work"
  BEACON_JAR="$jar" "$here/../bin/beacon" prepare
  for i in 1 2 3; do start_server "$i" "$work"; done
  for _ in $(seq 1 120); do
    leaders=$(for i in 1 2 3; do curl -s "http://127.0.0.$i:850$i/v1/status/leader" || true; echo; done | sort -u)
    if [ "$(echo "$leaders" | wc -l)" = 1 ] && [ -n "$leaders" ] && [ "$leaders" != '""' ]; then
      echo "beacon cluster up, leader $leaders"; return 0
    fi
    sleep 1
  done
  echo "beacon cluster did not elect a leader; see $work/*.log" >&2; exit 1
}

one() {
  case "${1:-}" in
    1|2|3) ;;
    *) echo "usage: $0 start-one|stop-one 1|2|3 [work-dir]" >&2; exit 2 ;;
  esac
}

case "${1:-}" in
  start) start "${2:-$here/results/cluster}" ;;
  stop) stop_pids "${2:-$here/results/cluster}" s1 s2 s3 ;;
  start-one) one "${2:-}"; start_server "$2" "${3:-$here/results/cluster}" ;;
  stop-one) one "${2:-}"; stop_pids "${3:-$here/results/cluster}" "s$2" ;;
  *) echo "usage: $0 start|stop [work-dir] | start-one|stop-one N [work-dir]" >&2; exit 2 ;;
esac
