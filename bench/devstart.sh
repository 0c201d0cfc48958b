#!/usr/bin/env bash
# Times a dev server's cold start: `java -jar beacon.jar` with no arguments in a fresh directory, from launch to the
# first non-empty /v1/status/leader and the first PUT answered `true`, plus the CPU seconds the JVM used until then.
# Usage: bench/devstart.sh [runs] [java options...]   (BEACON_JAR: the jar, default target/beacon.jar)
# Needs 127.0.0.1:8500/8300/8600 free; waits for them. Stops only the server it started.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar=$(realpath "${BEACON_JAR:-$here/../target/beacon.jar}")
runs=${1:-5}
shift || true
ticks=$(getconf CLK_TCK)
pid=""
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || true' EXIT
for run in $(seq 1 "$runs"); do
  dir=$(mktemp -d)
  while ss -ltn | grep -qE '127.0.0.1:(8500|8300|8600) '; do sleep 1; done  # a server still stopping
  t0=$(date +%s.%N)
  (cd "$dir" && exec java "$@" -jar "$jar" > "$dir/log" 2>&1) &
  pid=$!
  leader_at=""
  for _ in $(seq 1 6000); do
    if [ -z "$leader_at" ]; then
      leader=$(curl -s -m 1 localhost:8500/v1/status/leader || true)
      if [ -n "$leader" ] && [ "$leader" != '""' ]; then leader_at=$(date +%s.%N); fi
    fi
    if [ -n "$leader_at" ] && [ "$(curl -s -m 2 -X PUT -d v localhost:8500/v1/kv/x || true)" = true ]; then break; fi
    sleep 0.02
  done
  put_at=$(date +%s.%N)
  cpu=$(awk -v hz="$ticks" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$pid/stat")
  awk -v t0="$t0" -v l="$leader_at" -v p="$put_at" -v r="$run" -v c="$cpu" -v la="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN { printf "run %d: leader %.2f s, PUT %.2f s, JVM CPU %s s, load %s\n", r, l - t0, p - t0, c, la }'
  kill "$pid"; wait "$pid" 2>/dev/null || true
  pid=""
  rm -rf "$dir"
done
