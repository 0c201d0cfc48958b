#!/usr/bin/env bash
# Patroni (PostgreSQL high availability; Debian's patroni 3.0) against a three-server Beacon cluster
# (bench/cluster.sh), once through the Consul API and once through the etcd v2 API: two PostgreSQL members per
# store bootstrap and follow; the Beacon leader is killed (kill -9) and started again, which must not cost the
# PostgreSQL primary its role (Patroni retries its store for 10 s); then a switchover, and a failover after kill -9
# of the primary and its postmaster. Prints each step, the seconds the failover took (Patroni's ttl here is 30 s:
# the leader lock lapses ~30 s after its last renewal, with Consul's and etcd's semantics alike) and every ERROR or
# traceback in Patroni's logs. Through Consul, Patroni talks to one server, as to its local agent: a follower.
# Usage: bench/patroni.sh [consul|etcd|both] [work-dir]   (default both; work-dir bench/results/patroni)
# Needs: apt-get install patroni postgresql (Debian 12: PostgreSQL 15). PostgreSQL does not run as root: as root,
# the members run as the postgres user. Only the processes started here are stopped, by their PIDs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
stores=${1:-both}
work=${2:-$here/results/patroni}
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
command -v patroni > /dev/null && [ -n "$pgbin" ] || { echo "needs: apt-get install patroni postgresql" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
members=()

as_member() { # runs a command as the user PostgreSQL accepts
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}

stop_all() {
  for pid in "${members[@]}"; do kill "$pid" 2> /dev/null || true; done
  for pid in "${members[@]}"; do while kill -0 "$pid" 2> /dev/null; do sleep 0.5; done; done
  "$here/cluster.sh" stop "$work/beacon" || true
}
trap stop_all EXIT

beacon_leader() { # the number (1-3) of the server the cluster names as leader
  for i in 1 2 3; do
    curl -s -m 1 "http://127.0.0.$i:850$i/v1/status/leader" | sed -n 's/^"127\.0\.0\.\([0-9]\):.*/\1/p' | grep . && return 0
  done
  return 1
}

member_config() { # store scope name number agent: the YAML of one member
  local store=$1 scope=$2 name=$3 n=$4 agent=$5 dcs
  if [ "$store" = consul ]; then
    dcs="consul:"$'\n'"  host: 127.0.0.$agent:850$agent"$'\n'"  register_service: true"
  else
    dcs=$'etcd:\n  hosts: 127.0.0.1:2379,127.0.0.2:2379,127.0.0.3:2379'
  fi
  cat <<EOF
scope: $scope
name: $name
restapi: {listen: 127.0.0.1:80$n, connect_address: 127.0.0.1:80$n}
$dcs
bootstrap:
  dcs: {ttl: 30, loop_wait: 10, retry_timeout: 10, maximum_lag_on_failover: 1048576}
  initdb: [{encoding: UTF8}]
  pg_hba: ["host replication replicator 127.0.0.1/32 md5", "host all all 127.0.0.1/32 md5"]
postgresql:
  listen: 127.0.0.1:54$n
  connect_address: 127.0.0.1:54$n
  data_dir: $work/$name/data
  bin_dir: $pgbin
  pgpass: $work/$name/pgpass
  authentication:
    replication: {username: replicator, password: rep-pass}
    superuser: {username: postgres, password: su-pass}
  parameters: {unix_socket_directories: '$work/$name'}
EOF
}

roles() { # config: "name:role" per member that is up (a replica is "running", or "streaming" in later Patronis)
  patronictl -c "$1" list -f json 2> /dev/null | python3 -c \
    'import json, sys; print(" ".join(m["Member"] + ":" + m["Role"] for m in json.load(sys.stdin)
                                      if m["State"] in ("running", "streaming")))' 2> /dev/null || true
}

timeline() { # config: the PostgreSQL timeline of the cluster's leader (a new one means a new primary)
  patronictl -c "$1" list -f json 2> /dev/null | python3 -c \
    'import json, sys; print(" ".join(str(m.get("TL", "")) for m in json.load(sys.stdin) if m["Role"] == "Leader"))' \
    2> /dev/null || true
}

await_roles() { # config seconds pattern...: waits until every pattern is among the members' roles
  local config=$1 limit=$2 now
  shift 2
  for _ in $(seq 1 "$limit"); do
    now=" $(roles "$config") "
    local all=1
    for pattern in "$@"; do [[ "$now" == *" $pattern "* ]] || all=0; done
    [ "$all" = 1 ] && return 0
    sleep 1
  done
  echo "  not reached in $limit s: $* (members: $now)"
  return 1
}

run_store() { # store n: two members on ports 54n1/54n2, REST 80n1/80n2
  local store=$1 n=$2 scope="bench-$1" first="${1}1" second="${1}2" agent
  echo "== Patroni through Beacon's $store API"
  agent=$(( $(beacon_leader) % 3 + 1 ))
  for m in 1 2; do
    mkdir -p "$work/$store$m"
    member_config "$store" "$scope" "$store$m" "$n$m" "$agent" > "$work/$store$m.yml"
  done
  [ "$(id -u)" = 0 ] && chown -R postgres "$work"
  for m in 1 2; do
    members+=("$(as_member "patroni $work/$store$m.yml > $work/$store$m.log 2>&1 & echo \$!")")
    sleep 3
  done
  local config="$work/${first}.yml"
  await_roles "$config" 180 "$first:Leader" "$second:Replica" || return 1
  echo "  bootstrapped: $(roles "$config")"
  local killed timeline
  timeline=$(timeline "$config")
  killed=$(beacon_leader)
  if [ "$store" = consul ] && [ "$killed" = "$agent" ]; then
    echo "  the Beacon leader is Patroni's agent now: not killed"
  else
    kill -9 "$(cat "$work/beacon/s$killed.pid")"
    sleep 25
    echo "  Beacon leader (server $killed) killed 25 s ago: $(roles "$config"), primary's timeline $timeline ->" \
      "$(timeline "$config")"
    "$here/cluster.sh" start-one "$killed" "$work/beacon"
    for _ in $(seq 1 120); do
      [ "$(curl -s -m 1 -X PUT -d v "http://127.0.0.$killed:850$killed/v1/kv/bench-patroni")" = true ] && break
      sleep 1
    done
  fi
  patronictl -c "$config" switchover "$scope" --leader "$first" --candidate "$second" --force > /dev/null
  await_roles "$config" 90 "$second:Leader" "$first:Replica" || return 1
  echo "  switched over: $(roles "$config")"
  local patroni_pid postmaster t0
  patroni_pid=$(pgrep -f "patroni $work/$second.yml" | head -1)
  postmaster=$(head -1 "$work/$second/data/postmaster.pid")
  t0=$(date +%s.%N)
  kill -9 "$patroni_pid" "$postmaster"
  await_roles "$config" 120 "$first:Leader" || return 1
  awk -v t0="$t0" -v t1="$(date +%s.%N)" 'BEGIN { printf "  failed over: the replica led %.1f s after kill -9 of the primary\n", t1 - t0 }'
  echo "  ERROR lines and tracebacks in Patroni's logs: $(cat "$work/$first.log" "$work/$second.log" \
    | grep -c -E '^[0-9-]+ [0-9:,]+ ERROR|^Traceback' || true)"
  grep -h -E '^[0-9-]+ [0-9:,]+ ERROR' "$work/$first.log" "$work/$second.log" | head -5 | cut -c1-200 || true
}

"$here/cluster.sh" start "$work/beacon"
case "$stores" in
  consul) run_store consul 1 ;;
  etcd) run_store etcd 2 ;;
  both) run_store consul 1 || true; run_store etcd 2 ;;
  *) echo "usage: $0 [consul|etcd|both] [work-dir]" >&2; exit 2 ;;
esac
