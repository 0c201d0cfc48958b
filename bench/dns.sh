#!/usr/bin/env bash
# DNS load with dnsperf (Debian package dnsperf) against one Beacon node holding 1,000 service instances.
# Usage: bench/dns.sh [seconds-per-run] [work-dir]      (defaults: 20, bench/results/dns)
# Starts a single-node server from target/beacon.jar on 127.0.0.1 (HTTP 18510, DNS 18610, Raft 18310, ports
# chosen not to collide with cluster.sh), registers the instances through /v1/catalog/register, runs each
# workload for a bounded time, prints dnsperf's summary lines, and stops the server it started (by its PID).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
jar="$here/../target/beacon.jar"
seconds=${1:-20}
work=${2:-$here/results/dns}
http=http://127.0.0.1:18510
dns_port=18610

[ -f "$jar" ] || { echo "no $jar: run 'mvn -B package -DskipTests' first" >&2; exit 1; }
command -v dnsperf > /dev/null || { echo "dnsperf is missing: apt-get install dnsperf" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
trap 'stop_pids "$work" beacon' EXIT

java -Xmx1g -XX:+ExitOnOutOfMemoryError -jar "$jar" --beacon.node-name=bench --beacon.data-dir="$work/data" --beacon.ports.http=18510 \
  --beacon.ports.dns="$dns_port" --beacon.ports.raft=18310 ${BEACON_ARGS:-} > "$work/beacon.log" 2>&1 &
echo $! > "$work/beacon.pid"
for _ in $(seq 1 120); do
  [ "$(curl -s "$http/v1/status/leader" || true)" = '"127.0.0.1:18310"' ] && break
  sleep 1
done

# 1,000 instances: "web" has 1,000 on its own (a big answer to choose 3 from), and 100 services svc-0..99
# share the same 1,000 registrations' nodes with 10 instances each.
register() { # node address id service port
  curl -sf -X PUT "$http/v1/catalog/register" -d "{\"Node\":\"$1\",\"Address\":\"$2\",\"Service\":{\"ID\":\"$3\",
    \"Service\":\"$4\",\"Tags\":[\"t$(($5 % 4))\"],\"Port\":$5},\"Check\":{\"CheckID\":\"$3:c\",\"ServiceID\":\"$3\",
    \"Name\":\"c\",\"Status\":\"passing\"}}" > /dev/null
}
for i in $(seq 0 999); do
  register "host-$i" "10.$((i / 250)).$((i % 250)).1" "web-$i" web $((20000 + i))
  register "host-$i" "10.$((i / 250)).$((i % 250)).1" "svc-$i" "svc-$((i % 100))" $((30000 + i))
done
echo "registered: $(curl -s "$http/v1/catalog/service/web" | grep -o '"ServiceID"' | wc -l) web instances"

printf 'web.service.consul SRV\n' > "$work/web-srv.txt"
printf 'web.service.consul A\n' > "$work/web-a.txt"
for s in $(seq 0 99); do printf 'svc-%s.service.consul SRV\n' "$s"; done > "$work/svc-srv.txt"
for s in $(seq 0 99); do printf 't%s.svc-%s.service.consul A\n' $((s % 4)) "$s"; done > "$work/svc-tag-a.txt"

run() { # name query-file extra-args...
  local name=$1 file=$2; shift 2
  echo "== $name"
  dnsperf -s 127.0.0.1 -p "$dns_port" -d "$file" -l "$seconds" -c 8 -q 200 "$@" > "$work/$name.out" 2>&1
  grep -E 'Queries (sent|completed|lost)|Response codes|Queries per second|Average Latency|Latency StdDev' \
    "$work/$name.out"
}
run warmup "$work/web-srv.txt"
run web-srv-udp "$work/web-srv.txt"
run web-a-udp "$work/web-a.txt"
run svc-srv-udp "$work/svc-srv.txt"
run svc-tag-a-udp "$work/svc-tag-a.txt"
# dnsperf cannot read a TCP answer as large as all 1,000 "web" records (64 KB), so TCP runs on svc-*.
run svc-srv-tcp "$work/svc-srv.txt" -m tcp
