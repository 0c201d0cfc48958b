#!/usr/bin/env bash
# Issue 14's measure: what authorization costs per request. The same three-server Beacon workload twice in one
# run: ACLs off, then ACLs on with default-policy deny and every request carrying a token whose policy allows the
# keys (so each request resolves the token and checks a rule). Prints ops/s, p50 and ops per server CPU-second.
# Usage: bench/acl.sh [ops-per-phase] [rounds]
# Needs target/beacon.jar (or BEACON_JAR) and the kvbench jar (KVBENCH; see kvbench.sh). Phases are bounded as in
# kvbench.sh; ROUNDS alternates off/on that many times so that a noisy machine shows in the spread.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/phases.sh
. "$here/phases.sh"
ops=${1:-20000}
rounds=${2:-2}
kvbench=${KVBENCH:-/tmp/kvbench/kvbench.jar}
[ -f "$kvbench" ] || { echo "no $kvbench: build ../shared/kvbench first (see kvbench.sh)" >&2; exit 1; }
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$here/results/acl-$stamp.txt"
mkdir -p "$here/results"
endpoints=127.0.0.1:8501,127.0.0.2:8502,127.0.0.3:8503
management=$(cat /proc/sys/kernel/random/uuid)

# run_without_acls : the put and stale-get phases against a fresh cluster with ACLs off
run_without_acls() {
  local work="$here/results/acl-$stamp-off" pids
  "$here/cluster.sh" start "$work" >&2
  pids=$(cat "$work"/s*.pid | tr '\n' ' ')
  phase put64 "acl off put c64" consul "$endpoints" "$pids" --mode put --clients 64 --ops "$ops"
  preload consul "$endpoints"
  phase stale "acl off get stale c64" consul "$endpoints" "$pids" --mode get --clients 64 --ops "$ops" \
    --keyspace 10000 --consistency stale
  "$here/cluster.sh" stop "$work"
}

# app_token : a token whose one policy allows every key, created with the management token
app_token() {
  for _ in $(seq 1 60); do
    if curl -sf -H "X-Consul-Token: $management" http://127.0.0.1:8501/v1/acl/token/self > /dev/null; then break; fi
    sleep 1
  done
  curl -sf -X PUT -H "X-Consul-Token: $management" http://127.0.0.1:8501/v1/acl/policy \
    -d '{"Name": "bench", "Rules": "key_prefix \"\" { policy = \"write\" }"}' > /dev/null
  curl -sf -X PUT -H "X-Consul-Token: $management" http://127.0.0.1:8501/v1/acl/token \
    -d '{"Policies": [{"Name": "bench"}]}' | sed -n 's/.*"SecretID":"\([^"]*\)".*/\1/p'
}

run_with_acls() {
  local work="$here/results/acl-$stamp-on" pids token
  rm -rf "$work" "$here/results/acl-$stamp-off"
  BEACON_ARGS="--beacon.acl.enabled=true --beacon.acl.default-policy=deny --beacon.acl.tokens.initial-management=$management" \
    "$here/cluster.sh" start "$work" >&2
  pids=$(cat "$work"/s*.pid | tr '\n' ' ')
  token=$(app_token)
  [ -n "$token" ] || { echo "could not create the bench token; see $work/*.log" >&2; "$here/cluster.sh" stop "$work"; exit 1; }
  phase put64 "acl on put c64" consul "$endpoints" "$pids" --mode put --clients 64 --ops "$ops" \
    --header "X-Consul-Token: $token"
  preload consul "$endpoints" --header "X-Consul-Token: $token"
  phase stale "acl on get stale c64" consul "$endpoints" "$pids" --mode get --clients 64 --ops "$ops" \
    --keyspace 10000 --consistency stale --header "X-Consul-Token: $token"
  "$here/cluster.sh" stop "$work"
}

{
  echo "# $(date -u) $(nproc) cores; $ops ops per phase; $rounds rounds of ACLs off then on"
  for _ in $(seq 1 "$rounds"); do
    run_without_acls
    run_with_acls
  done
} | tee "$out"
echo "results in $out"
