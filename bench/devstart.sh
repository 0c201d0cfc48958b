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

# One HTTP request over bash's own /dev/tcp, so that polling forks no process: a curl every 20 ms took ~0.3 s of
# CPU from the server it was timing on a 2-core machine. Sets `body` to the answer's last line.
request() {
  body=""
  { exec 3<>/dev/tcp/127.0.0.1/8500; } 2>/dev/null || return 1
  printf '%s %s HTTP/1.1\r\nHost: localhost\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
    "$1" "$2" "${#3}" "$3" >&3
  local line
  while IFS= read -r -t 5 -u 3 line || [ -n "$line" ]; do body=${line%$'\r'}; line=""; done
  exec 3<&-
}

# A 20 ms pause without forking `sleep`: a read that times out on a pipe nobody writes to.
exec {idle}<> <(:)
pause() { read -r -t 0.02 -u "$idle" _ || true; }

for run in $(seq 1 "$runs"); do
  dir=$(mktemp -d)
  while ss -ltn | grep -qE '127.0.0.1:(8500|8300|8600) '; do sleep 1; done  # a server still stopping
  t0=$EPOCHREALTIME
  (cd "$dir" && exec java "$@" -jar "$jar" > "$dir/log" 2>&1) &
  pid=$!
  leader_at=""
  for _ in $(seq 1 6000); do
    if [ -z "$leader_at" ] && request GET /v1/status/leader "" && [ -n "$body" ] && [ "$body" != '""' ]; then
      leader_at=$EPOCHREALTIME
    fi
    if [ -n "$leader_at" ] && request PUT /v1/kv/x v && [ "$body" = true ]; then break; fi
    pause
  done
  put_at=$EPOCHREALTIME
  cpu=$(awk -v hz="$ticks" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$pid/stat")
  awk -v t0="$t0" -v l="$leader_at" -v p="$put_at" -v r="$run" -v c="$cpu" -v la="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN { printf "run %d: leader %.2f s, PUT %.2f s, JVM CPU %s s, load %s\n", r, l - t0, p - t0, c, la }'
  kill "$pid"; wait "$pid" 2>/dev/null || true
  pid=""
  rm -rf "$dir"
done
