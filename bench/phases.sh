#!/usr/bin/env bash
# Shared by the kvbench-driven scripts: one measured kvbench phase with the server CPU it cost, a warm-up, the
# preload of the keys the get phases read, and the one-client puts through the leader and through a follower.
# Needs $kvbench (the kvbench jar) set by the caller.
# shellcheck disable=SC2154 # kvbench and ops are the caller's
ticks=$(getconf CLK_TCK)

cpu_seconds() { # pid... : user+system CPU seconds used so far by these processes
  local total=0 pid
  for pid in "$@"; do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  awk -v t="$total" -v hz="$ticks" 'BEGIN { printf "%.2f", t / hz }'
}

# phase ID NAME TARGET ENDPOINTS PIDS KVBENCH-ARGS... : one measured run (skipped unless PHASES has ID), printed as one line. The same load runs
# unmeasured for WARMUP seconds first (default 10): a JVM server compiles its hot paths in its first seconds,
# and a production server is warm.
phase() {
  case " ${PHASES:-put1 put16 put64 get stale} " in *" $1 "*) ;; *) return 0 ;; esac
  shift
  local name=$1 target=$2 endpoints=$3 pids=$4; shift 4
  local before after csv
  java -jar "$kvbench" --target "$target" --endpoints "$endpoints" --time-limit 60 --format csv "$@" \
    --duration "${WARMUP:-10}" > /dev/null 2>&1 || true
  # shellcheck disable=SC2086
  before=$(cpu_seconds $pids)
  csv=$(java -jar "$kvbench" --target "$target" --endpoints "$endpoints" --time-limit 180 --format csv \
    --label "$name" "$@" 2>/dev/null | tail -1)
  # shellcheck disable=SC2086
  after=$(cpu_seconds $pids)
  echo "$csv" | awk -F, -v name="$name" -v cpu="$(awk -v a="$after" -v b="$before" 'BEGIN { print a - b }')" '{
    printf "%-28s %8s ops/s  p50 %7s ms  errors %s  server CPU %6.1f s  %8.0f ops per server CPU-s\n",
      name, $14, $15, $10, cpu, (cpu > 0 ? $9 / cpu : 0) }'
}

# warm TARGET ENDPOINTS : WARM_UP seconds (default 120) of unmeasured mixed puts and gets at 64 clients, once per
# system before its first phase. A JVM server's C2 compiler is busy for about its first 100 s of this load: etcd v2
# puts rose from ~900 to ~3,300/s and gets from ~7,600 to ~20,000/s over that time (bench/README.md, "etcd v2 with
# both systems warm"), so a phase's 10 s warm-up alone measured a half-compiled server. etcd gets the same.
warm() {
  local target=$1 endpoints=$2 seconds=${WARM_UP:-120}
  [ "$seconds" -gt 0 ] || return 0
  java -jar "$kvbench" --target "$target" --endpoints "$endpoints" --mode mixed --read-pct 50 --clients 64 \
    --keyspace 10000 --duration "$seconds" --time-limit "$((seconds + 60))" --format csv > /dev/null 2>&1 || true
}

# preload TARGET ENDPOINTS [KVBENCH-ARGS...] : writes the 10,000 keys the get phases read, outside any measured phase
preload() {
  local target=$1 endpoints=$2; shift 2
  java -jar "$kvbench" --target "$target" --endpoints "$endpoints" --mode put --clients 16 --keyspace 10000 \
    --key-order seq --ops 10000 --time-limit 180 --format csv "$@" > /dev/null 2>&1
}

# leader_ip beacon|etcd : the loopback address of the current leader of the cluster on 127.0.0.1-3 (Beacon's
# /v1/status/leader, etcd's /v2/stats/self), or nothing if none answers
leader_ip() {
  local i
  case "$1" in
    beacon)
      curl -s -m 2 "http://127.0.0.1:8501/v1/status/leader" | sed -n 's/^"\([0-9.]*\):[0-9]*"$/\1/p' ;;
    etcd)
      for i in 1 2 3; do
        if curl -s -m 2 "http://127.0.0.$i:23791/v2/stats/self" | grep -q '"state":"StateLeader"'; then
          echo "127.0.0.$i"; return 0
        fi
      done ;;
  esac
}

# one_endpoint leader|follower LEADER-IP ENDPOINTS : the endpoint (of a comma-separated list) on the leader's
# address, or the first one on another. A single client sees one server only, and a write through a follower
# costs a hop more than through the leader, so the one-client phases measure each side separately: which member an
# election made leader must not decide a comparison.
one_endpoint() {
  local role=$1 leader=$2 endpoint
  for endpoint in ${3//,/ }; do
    if [ "$role" = leader ] && [ "${endpoint%:*}" = "$leader" ]; then echo "$endpoint"; return 0; fi
    if [ "$role" = follower ] && [ "${endpoint%:*}" != "$leader" ]; then echo "$endpoint"; return 0; fi
  done
  echo "no $role among $3 (leader: ${leader:-none})" >&2
  return 1
}

# one_client_puts LABEL SYSTEM TARGET ENDPOINTS PIDS : the one-client put phase (PHASES id put1, ops/10 of the
# caller's $ops), once through the current leader and once through a follower
one_client_puts() {
  local label=$1 system=$2 target=$3 endpoints=$4 pids=$5 leader role endpoint
  leader=$(leader_ip "$system")
  for role in leader follower; do
    endpoint=$(one_endpoint "$role" "$leader" "$endpoints")
    phase put1 "$label put c1 $role" "$target" "$endpoint" "$pids" --mode put --clients 1 --ops $((ops / 10))
  done
}

# drop_data WORK : after a run, removes the servers' data directories under WORK (a day of runs left 21 GB in
# bench/results/), keeping their logs and pid files; KEEP_DATA=1 keeps everything
drop_data() {
  [ "${KEEP_DATA:-0}" = 1 ] && return 0
  find "$1" -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
}
