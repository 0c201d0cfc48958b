#!/usr/bin/env bash
# Leader failover on a three-server cluster (bench/cluster.sh): kill -9 the leader, time until a PUT through a
# survivor returns true, restart the killed server and time until a PUT through it succeeds; repeated. Then counts the elections each
# server started (Raft role changes are logged at INFO for this run).
# Usage: bench/failover.sh [kills] [work-dir]   (BEACON_JAR as for cluster.sh; default work-dir bench/results/failover)
# Only the servers cluster.sh started here are killed, by the PIDs it kept.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kills=${1:-5}
work=${2:-$here/results/failover}
export LOGGING_LEVEL_IO_ATOMIX_PROTOCOLS_RAFT=INFO
"$here/cluster.sh" start "$work"
leader_of() { # i: the number of the server that server i names as leader, or nothing
  curl -s -m 1 "http://127.0.0.$1:850$1/v1/status/leader" | tr -d '"' | sed -n 's/^127\.0\.0\.\([0-9]\):.*/\1/p'
}
put() { [ "$(curl -s -m 2 -X PUT -d v "http://127.0.0.$1:850$1/v1/kv/failover" || true)" = true ]; }
sleep 5
for kill in $(seq 1 "$kills"); do
  leader=""
  for i in 1 2 3; do leader=$(leader_of "$i" || true); [ -n "$leader" ] && break; done
  [ -n "$leader" ] || { echo "no leader"; sleep 2; continue; }
  survivor=$((leader % 3 + 1))
  t0=$(date +%s.%N)
  kill -9 "$(cat "$work/s$leader.pid")"
  until put "$survivor"; do sleep 0.02; done
  awk -v t0="$t0" -v t1="$(date +%s.%N)" -v k="$kill" -v l="$leader" -v s="$survivor" \
    'BEGIN { printf "kill %d: leader s%d killed, a PUT through s%d succeeded after %.2f s\n", k, l, s, t1 - t0 }'
  t2=$(date +%s.%N)
  "$here/cluster.sh" start-one "$leader" "$work"
  for _ in $(seq 1 1200); do put "$leader" && break; sleep 0.1; done
  awk -v t0="$t2" -v t1="$(date +%s.%N)" -v l="$leader" \
    'BEGIN { printf "  s%d restarted: a PUT through it succeeded %.2f s after its JVM started\n", l, t1 - t0 }'
  sleep 8
done
"$here/cluster.sh" stop "$work"
echo "elections started (CANDIDATE), per server:"
grep -c "Transitioning to CANDIDATE" "$work"/s*.log || true
