#!/usr/bin/env bash
# The data soak: KEYS distinct keys (256 B keys, 1 KiB values) written at CLIENTS clients into three servers while
# log segments roll and are compacted, one follower stopped and restarted in the middle of it, then every key
# read back with ?consistent (each key once, through the three servers in turn) and every server's key count
# compared; then all three are stopped and started again and must come back with the same keys. Servers run
# with BEACON_HEAP (default 6g) and the default storage quota (half the heap).
# Usage: bench/soak.sh [work-dir]    Env: SOAK_KEYS (2000000), SOAK_CLIENTS (64), BEACON_HEAP (6g), KVBENCH_JAR
# Talks only to 127.0.0.1-3; every phase is bounded in requests and time. Needs target/beacon.jar and about
# 4 x the data in free disk per server.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
keys=${SOAK_KEYS:-2000000}
clients=${SOAK_CLIENTS:-64}
export BEACON_HEAP=${BEACON_HEAP:-6g}
work=${1:-$here/results/soak-$(date +%Y%m%d-%H%M%S)}
kvbench=${KVBENCH_JAR:-/tmp/kvbench/kvbench.jar}
endpoints=127.0.0.1:8501,127.0.0.2:8502,127.0.0.3:8503
half=$((keys / 2))

if [ ! -f "$kvbench" ]; then
  mvn -q -f "$here/../../shared/kvbench/pom.xml" package -DskipTests -Dkvbench.out="$(dirname "$kvbench")"
fi
mkdir -p "$work"
"$here/cluster.sh" start "$work"
trap '"$here/cluster.sh" stop "$work"; kill "$sampler" 2>/dev/null || true' EXIT

# RSS (KiB) of each server every 10 s, while the soak runs.
(
  while [ -f "$work/s1.pid" ] || [ -f "$work/s2.pid" ] || [ -f "$work/s3.pid" ]; do
    line=$(date +%s)
    for i in 1 2 3; do
      pid=$(cat "$work/s$i.pid" 2>/dev/null || echo 0)
      line="$line $(ps -o rss= -p "$pid" 2>/dev/null || echo 0)"
    done
    echo "$line" >> "$work/rss.log"
    sleep 10
  done
) &
sampler=$!

leader=$(curl -s http://127.0.0.1:8501/v1/status/leader | tr -d '"')
follower=""
for i in 1 2 3; do
  if [ "127.0.0.$i:8300" != "$leader" ]; then follower=$i; break; fi
done
echo "leader $leader; follower s$follower is restarted in the middle"
# While it is down, clients write through the other two, as a client that fails over would.
survivors=$(for i in 1 2 3; do if [ "$i" != "$follower" ]; then printf '127.0.0.%s:850%s,' "$i" "$i"; fi; done)
survivors=${survivors%,}

put() { # first-index count label endpoints
  java -jar "$kvbench" --target consul --endpoints "$4" --mode put --clients "$clients" \
    --keyspace "$keys" --key-start "$1" --ops "$2" --max-errors 100000 --time-limit 3600 --progress 60 \
    --format json --label "$3" > "$work/$3.json" 2> "$work/$3.err"
}

started=$(date +%s)
put 0 "$half" put-first-half "$endpoints"
# The second half runs while the follower is down for 30 s and then catches up (by log or snapshot), through the
# other two servers.
( sleep 20; "$here/cluster.sh" stop-one "$follower" "$work"; echo "$(date +%s) stopped s$follower" >> "$work/events.log"
  sleep 30; "$here/cluster.sh" start-one "$follower" "$work"; echo "$(date +%s) started s$follower" >> "$work/events.log"
) &
restarter=$!
put "$half" "$((keys - half))" put-second-half "$survivors"
wait "$restarter"
written=$(date +%s)

# Every server must reach the same state: the same number of keys, unchanged for 5 s, once it has applied
# everything (writes that failed for their client may or may not have been applied, so not always KEYS).
previous=""
for _ in $(seq 1 120); do
  counts=$(for i in 1 2 3; do curl -s "http://127.0.0.$i:850$i/v1/operator/storage" | sed 's/.*"KVKeys":\([0-9]*\).*/\1/'; echo; done | sort -u)
  if [ "$(echo "$counts" | wc -l)" = 1 ] && [ "$counts" = "$previous" ]; then break; fi
  previous=$counts
  sleep 5
done
echo "$counts" > "$work/kvkeys.txt"

java -jar "$kvbench" --target consul --endpoints "$endpoints" --mode get --consistency strong --clients "$clients" \
  --keyspace "$keys" --key-start 0 --ops "$keys" --max-errors 100000 --time-limit 3600 --progress 60 \
  --format json --label verify > "$work/verify.json" 2> "$work/verify.err"
verified=$(date +%s)

# Reads that failed in that pass (kvbench prints each failed request) are made once more.
grep -o 'GET http[^ ]*' "$work/verify.err" | cut -c5- | sort -u > "$work/verify-retry.txt" || true
retried=0
retried_ok=0
while read -r url; do
  retried=$((retried + 1))
  if [ "$(curl -s -o /dev/null -w '%{http_code}' -m 30 "$url")" = 200 ]; then retried_ok=$((retried_ok + 1)); fi
done < "$work/verify-retry.txt"

alive=0
for i in 1 2 3; do kill -0 "$(cat "$work/s$i.pid")" 2>/dev/null && alive=$((alive + 1)); done

# A full restart at that size: all three stopped, then started from their data; each must come back serving the
# same keys as before.
for i in 1 2 3; do "$here/cluster.sh" stop-one "$i" "$work"; done
restart_began=$(date +%s)
for i in 1 2 3; do "$here/cluster.sh" start-one "$i" "$work"; done
restored=""
for _ in $(seq 1 180); do
  restored=$(for i in 1 2 3; do
    printf '%s ' "$({ curl -s -m 5 "http://127.0.0.$i:850$i/v1/operator/storage" || true; } |
      sed -n 's/.*"KVKeys":\([0-9]*\).*/\1/p')"
  done)
  if [ "$restored" = "$(for _ in 1 2 3; do printf '%s ' "$(cat "$work/kvkeys.txt")"; done)" ]; then break; fi
  sleep 5
done
restart_seconds=$(($(date +%s) - restart_began))
{
  echo "keys=$keys clients=$clients heap=$BEACON_HEAP"
  echo "write seconds=$((written - started)) verify seconds=$((verified - written)) servers alive=$alive/3"
  echo "key count on every server: $(tr '\n' ' ' < "$work/kvkeys.txt")"
  echo "failed verify reads made again: $retried_ok of $retried answered 200"
  echo "full restart: key counts ${restored}after $restart_seconds s (before: $(cat "$work/kvkeys.txt") on each)"
  for f in put-first-half put-second-half verify; do head -c 400 "$work/$f.json"; echo; done
  awk '{ for (i = 2; i <= 4; i++) if ($i > max[i]) max[i] = $i }
       END { printf "max RSS MiB: s1 %d, s2 %d, s3 %d\n", max[2] / 1024, max[3] / 1024, max[4] / 1024 }' "$work/rss.log"
} | tee "$work/summary.txt"
