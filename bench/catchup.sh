#!/usr/bin/env bash
# A follower that catches up under load: three servers, one follower stopped while KEYS distinct keys (256 B keys,
# 1 KiB values) are written through the other two at 64 clients; the follower started again while 64 clients go on
# writing for 80 s and a probe puts one key every 100 ms through the leader; then all three stopped and started
# again, and each server's key count printed (they must be equal).
# Usage: bench/catchup.sh [work-dir]    Env: KEYS (300000), BEACON_JAR, BEACON_HEAP (1g), KVBENCH_JAR
# Prints the probe's puts slower than 1 s, when the follower served again, kvbench's figures and the key counts.
# Talks only to 127.0.0.1-3; every load is bounded in requests and time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/phases.sh
. "$here/phases.sh"
keys=${KEYS:-300000}
work=${1:-$here/results/catchup-$(date +%Y%m%d-%H%M%S)}
kvbench=${KVBENCH_JAR:-/tmp/kvbench/kvbench.jar}
if [ ! -f "$kvbench" ]; then
  mvn -q -f "$here/../../shared/kvbench/pom.xml" package -DskipTests -Dkvbench.out="$(dirname "$kvbench")"
fi
mkdir -p "$work"
"$here/cluster.sh" start "$work"
trap '"$here/cluster.sh" stop "$work"' EXIT

leader=$(leader_ip beacon)
leader=${leader#127.0.0.}
follower=$((leader % 3 + 1))
other=$((6 - leader - follower))
echo "leader s$leader; s$follower is stopped and catches up" | tee "$work/events.log"
survivors="127.0.0.$leader:850$leader,127.0.0.$other:850$other"
counts() {
  for i in 1 2 3; do
    printf '%s ' "$({ curl -s -m 5 "http://127.0.0.$i:850$i/v1/operator/storage" || true; } |
      sed -n 's/.*"KVKeys":\([0-9]*\).*/\1/p')"
  done
}

"$here/cluster.sh" stop-one "$follower" "$work"
java -jar "$kvbench" --target consul --endpoints "$survivors" --mode put --clients 64 --keyspace "$keys" \
  --key-start 0 --ops "$keys" --max-errors 100000 --time-limit 900 --format json --label fill \
  > "$work/fill.json" 2> "$work/fill.err"

( for k in $(seq 1 900); do
    printf '%s %s\n' "$(date +%s.%N)" "$(curl -s -o /dev/null -m 30 -w '%{http_code} %{time_total}' -X PUT -d v \
      "http://127.0.0.$leader:850$leader/v1/kv/catchup-probe/$k")"
    sleep 0.1
  done > "$work/probe.log" ) &
probe=$!
java -jar "$kvbench" --target consul --endpoints "$survivors" --mode put --clients 64 --keyspace 100000 \
  --key-start "$keys" --duration 80 --max-errors 100000 --time-limit 200 --format json --label load \
  > "$work/load.json" 2> "$work/load.err" &
load=$!
sleep 5
started=$(date +%s.%N)
"$here/cluster.sh" start-one "$follower" "$work"
for _ in $(seq 1 240); do
  if [ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' \
      "http://127.0.0.$follower:850$follower/v1/kv/catchup-probe/1?consistent")" = 200 ]; then
    echo "s$follower served a consistent read $(echo "$(date +%s.%N) - $started" | bc) s after its start" \
      | tee -a "$work/events.log"
    break
  fi
  sleep 0.5
done
wait "$load" "$probe"
echo "probe puts slower than 1 s or failed (time, status, seconds):"
awk '$3 > 1.0 || $2 != 200' "$work/probe.log"
for f in fill load; do head -c 420 "$work/$f.json"; echo; done
echo "key counts: $(counts)" | tee -a "$work/events.log"

"$here/cluster.sh" stop "$work"
"$here/cluster.sh" start "$work"
sleep 10
echo "key counts after a full restart: $(counts)" | tee -a "$work/events.log"
