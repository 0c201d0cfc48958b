#!/usr/bin/env bash
# Runs docker-compose.yml for real, without a registry and without touching the host's network: a private
# Docker engine (Debian's docker.io) starts inside a network namespace made here, the image is built FROM a base
# imported from the cached Debian tree with the JRE (see provision-cluster-test.sh), and the three servers must
# form one cluster. The engine, its data, the namespace and the images are removed at exit. etcd-proxy (the nginx
# image) is left out, as it would be pulled from a registry: the etcd check goes from one server's container to
# another's 2379 over the compose network, the way the proxy reaches them.
#
# Usage (root): test/deploy/compose-cluster-test.sh   (needs docker.io, docker-compose, curl, the jar)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/../.." && pwd)
cache=${BEACON_DEPLOY_CACHE:-$HOME/.cache/beacon-deploy-test}
jre_tree=$cache/debian-bookworm-jre
ns=bdc$$
run_dir=/run/beacon-compose-test-$$
export DOCKER_HOST=unix://$run_dir/docker.sock
export COMPOSE_PROJECT_NAME=$ns
export BEACON_BASE_IMAGE=beacon-test-base:$ns
export BEACON_IMAGE=beacon-test:$ns
cluster_timeout=300
dockerd_pid=""
failures=0

say() { printf '[compose-test] %s\n' "$*"; }
pass() { say "PASS: $*"; }
fail() { say "FAIL: $*"; failures=$((failures + 1)); }
die() { say "ERROR: $*" >&2; exit 1; }

in_ns() { ip netns exec "$ns" "$@"; }

cleanup() {
  local _
  set +e
  if [ -n "$dockerd_pid" ]; then
    docker-compose down --volumes --rmi all --timeout 20 >/dev/null 2>&1
    docker image rm "$BEACON_BASE_IMAGE" >/dev/null 2>&1
    kill -TERM "$dockerd_pid" 2>/dev/null
    for _ in $(seq 1 30); do
      kill -0 "$dockerd_pid" 2>/dev/null || break
      sleep 1
    done
    kill -0 "$dockerd_pid" 2>/dev/null && kill -KILL "$dockerd_pid"
    wait "$dockerd_pid" 2>/dev/null
  fi
  # Whatever the engine left mounted under its folders, deepest first.
  awk -v dir="$run_dir" 'index($2, dir) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m"
  done
  ip netns delete "$ns" 2>/dev/null
  rm -rf "$run_dir"
  say "cleaned up"
}

start_engine() {
  mkdir -p "$run_dir"
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  # No iptables: the namespace has no way out anyway, and published ports go through docker-proxy. nsenter, not
  # `ip netns exec`, which remounts /sys and so hides the cgroup mounts the engine needs.
  nsenter --net="/run/netns/$ns" dockerd --data-root "$run_dir/data" --exec-root "$run_dir/exec" \
    --pidfile "$run_dir/dockerd.pid" \
    --host "$DOCKER_HOST" --bridge=none --iptables=false --ip-masq=false \
    >"$run_dir/dockerd.log" 2>&1 &
  dockerd_pid=$!
  local deadline=$((SECONDS + 60))
  while [ "$SECONDS" -lt "$deadline" ]; do
    docker version >/dev/null 2>&1 && return 0
    kill -0 "$dockerd_pid" 2>/dev/null || break
    sleep 1
  done
  cat "$run_dir/dockerd.log" >&2
  die "the Docker engine did not start"
}

wait_for_cluster() {
  local deadline=$((SECONDS + cluster_timeout)) leader=""
  while [ "$SECONDS" -lt "$deadline" ]; do
    leader=$(in_ns curl -fsS --max-time 5 http://127.0.0.1:8500/v1/status/leader 2>/dev/null) || leader=""
    if [ -n "$leader" ] && [ "$leader" != '""' ]; then
      pass "beacon-1 on the published port 8500 knows leader $leader"
      return 0
    fi
    sleep 2
  done
  docker-compose logs --tail 40 >&2
  fail "no leader within ${cluster_timeout}s"
  return 1
}

check_health_and_user() {
  local service id deadline status user
  for service in beacon-1 beacon-2 beacon-3; do
    id=$(docker-compose ps -q "$service")
    deadline=$((SECONDS + 120))
    status=""
    while [ "$SECONDS" -lt "$deadline" ]; do
      status=$(docker inspect --format '{{.State.Health.Status}}' "$id")
      [ "$status" = healthy ] && break
      sleep 3
    done
    user=$(docker exec "$id" id -u)
    if [ "$status" = healthy ] && [ "$user" = 10001 ]; then
      pass "$service healthy, runs as uid $user"
    else
      fail "$service health '$status', uid '$user'"
    fi
  done
}

check_kv() {
  local value="compose-$$" put got
  put=$(in_ns curl -fsS --max-time 10 -X PUT --data "$value" http://127.0.0.1:8500/v1/kv/compose-test) || put=""
  got=$(docker-compose exec -T beacon-3 curl -fsS --max-time 10 \
    "http://127.0.0.1:8500/v1/kv/compose-test?raw") || got=""
  if [ "$put" = true ] && [ "$got" = "$value" ]; then
    pass "KV write through beacon-1's published port read on beacon-3"
  else
    fail "KV: PUT answered '$put', beacon-3 read '$got'"
  fi
}

check_etcd() {
  local value="compose-etcd-$$" put got
  put=$(docker-compose exec -T beacon-1 curl -fsS --max-time 10 -X PUT --data "value=$value" \
    http://beacon-2:2379/v2/keys/compose-test) || put=""
  got=$(docker-compose exec -T beacon-3 curl -fsS --max-time 10 http://beacon-3:2379/v2/keys/compose-test) || got=""
  if [[ "$put" == *"\"value\":\"$value\""* ]] && [[ "$got" == *"\"value\":\"$value\""* ]]; then
    pass "etcd v2 write from beacon-1 to beacon-2:2379 read on beacon-3:2379"
  else
    fail "etcd: PUT on beacon-2:2379 answered '$put', GET on beacon-3:2379 answered '$got'"
  fi
}

main() {
  [ "$(id -u)" -eq 0 ] || die "run as root"
  local tool
  for tool in dockerd docker docker-compose curl ip; do
    command -v "$tool" >/dev/null || die "$tool is missing"
  done
  [ -f "$project/target/beacon.jar" ] || die "no target/beacon.jar: run mvn -B -DskipTests package first"
  "$here/provision-cluster-test.sh" --prepare-only
  cd "$project"
  trap cleanup EXIT
  start_engine
  say "importing the cached Debian tree as $BEACON_BASE_IMAGE"
  tar -C "$jre_tree" --exclude=./.complete -c . | docker import - "$BEACON_BASE_IMAGE" >/dev/null
  say "docker-compose up --build (the three servers)"
  docker-compose up -d --build beacon-1 beacon-2 beacon-3
  if wait_for_cluster; then
    check_health_and_user
    check_kv
    check_etcd
  fi
  if [ "$failures" -gt 0 ]; then
    say "$failures check(s) failed"
    return 1
  fi
  say "all checks passed"
}

main "$@"
