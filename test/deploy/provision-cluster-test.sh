#!/usr/bin/env bash
# End-to-end test of provision.sh without a hypervisor. Three Debian machines (systemd-nspawn containers booted
# with systemd) each get their own network namespace, wired to a bridge that lives in a fourth namespace, with
# 192.168.56.11-13 as on the Vagrant private network; the host itself gets no address and no route. The
# unmodified provision.sh runs in each machine as Vagrant's shell provisioner runs it (copied to
# /tmp/vagrant-shell, run as root with the same arguments and environment, the project at /vagrant), one
# machine after the other, then the script checks that the three formed one cluster. Everything it creates
# (namespaces, bridge, veths, containers, mounts, the run folder) is removed at exit.
#
# Usage (root): test/deploy/provision-cluster-test.sh [--prepare-only]
#   Needs: debootstrap, systemd-container (systemd-nspawn), iproute2, curl, dig (bind9-dnsutils), and the jar:
#   mvn -B -DskipTests package. --prepare-only builds the cached Debian tree and stops.
# Environment:
#   BEACON_DEPLOY_CACHE   where the Debian trees are cached (default ~/.cache/beacon-deploy-test)
#   BEACON_DEBIAN_MIRROR  Debian mirror (default http://deb.debian.org/debian)
set -euo pipefail

project=$(cd "$(dirname "$0")/../.." && pwd)
suite=bookworm
mirror=${BEACON_DEBIAN_MIRROR:-http://deb.debian.org/debian}
cache=${BEACON_DEPLOY_CACHE:-$HOME/.cache/beacon-deploy-test}
base_tree=$cache/debian-$suite-minbase
jre_tree=$cache/debian-$suite-jre
prefix=bdt$$
run_dir=/run/beacon-deploy-test-$$
switch_ns=$prefix-sw
names=(beacon-1 beacon-2 beacon-3)
ips=(192.168.56.11 192.168.56.12 192.168.56.13)
boot_timeout=120
cluster_timeout=120

declare -a nspawn_pids=() mounts=() namespaces=()
failures=0
# systemd-nspawn keeps lock and propagation folders here; removed at exit if this run created them.
nspawn_state=/run/systemd/nspawn
[ -e "$nspawn_state" ] && nspawn_state_existed=1 || nspawn_state_existed=0

say() { printf '[deploy-test] %s\n' "$*"; }
pass() { say "PASS: $*"; }
fail() { say "FAIL: $*"; failures=$((failures + 1)); }
die() { say "ERROR: $*" >&2; exit 1; }

# --- Cached Debian trees ----------------------------------------------------------------------------------------

# Minimal Debian that boots with systemd. Built once; the marker file says the build finished.
prepare_base_tree() {
  [ -f "$base_tree/.complete" ] && return 0
  say "debootstrap $suite into $base_tree (once)"
  rm -rf "$base_tree"
  mkdir -p "$cache"
  debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,iproute2 "$suite" "$base_tree" "$mirror"
  touch "$base_tree/.complete"
}

# The same tree with the packages provision.sh installs (its own apt-get command), installed in a chroot on the
# host's network: the test machines have no route to a mirror, so provision.sh finds them installed and goes on.
prepare_jre_tree() {
  [ -f "$jre_tree/.complete" ] && return 0
  say "installing openjdk-17-jre-headless and curl into $jre_tree (once)"
  rm -rf "$jre_tree"
  cp -a "$base_tree" "$jre_tree"
  rm -f "$jre_tree/.complete"
  mount -t proc proc "$jre_tree/proc"
  local rc=0
  chroot "$jre_tree" /usr/bin/env DEBIAN_FRONTEND=noninteractive sh -c \
    'apt-get update -qq && apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless curl \
     && apt-get clean' || rc=$?
  umount "$jre_tree/proc"
  [ "$rc" -eq 0 ] || die "package installation in the chroot failed ($rc)"
  touch "$jre_tree/.complete"
}

# --- Cleanup ----------------------------------------------------------------------------------------------------

cleanup() {
  local pid i
  set +e
  for pid in "${nspawn_pids[@]}"; do
    # nspawn turns SIGTERM into an orderly poweroff of the booted container.
    kill -TERM "$pid" 2>/dev/null
  done
  for pid in "${nspawn_pids[@]}"; do
    for i in $(seq 1 30); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    umount "${mounts[$i]}" 2>/dev/null || umount -l "${mounts[$i]}"
  done
  for i in "${namespaces[@]}"; do
    ip netns delete "$i"
  done
  rm -rf "$run_dir"
  if [ "$nspawn_state_existed" -eq 0 ] && [ -d "$nspawn_state" ]; then
    rmdir "$nspawn_state"/* "$nspawn_state" 2>/dev/null
  fi
  say "cleaned up"
}

# --- Network ----------------------------------------------------------------------------------------------------

# The bridge and all veths live in namespaces created here; the host's interfaces are never touched.
create_network() {
  ip netns add "$switch_ns"
  namespaces+=("$switch_ns")
  ip -n "$switch_ns" link set lo up
  ip -n "$switch_ns" link add br0 type bridge
  ip -n "$switch_ns" link set br0 up
  local i ns
  for i in 0 1 2; do
    ns=$prefix-n$((i + 1))
    ip netns add "$ns"
    namespaces+=("$ns")
    ip -n "$ns" link set lo up
    ip -n "$switch_ns" link add "port$((i + 1))" type veth peer name eth0 netns "$ns"
    ip -n "$switch_ns" link set "port$((i + 1))" master br0 up
    ip -n "$ns" addr add "${ips[$i]}/24" dev eth0
    ip -n "$ns" link set eth0 up
  done
  # An observer address on the bridge, for the checks (curl and dig run in the switch namespace).
  ip -n "$switch_ns" addr add 192.168.56.10/24 dev br0
}

in_switch() { ip netns exec "$switch_ns" "$@"; }

# --- Machines ---------------------------------------------------------------------------------------------------

start_machine() {
  local i=$1 name=${names[$1]} root upper work pid
  root=$run_dir/$name/root
  upper=$run_dir/$name/upper
  work=$run_dir/$name/work
  mkdir -p "$root" "$upper" "$work"
  mount -t overlay overlay -o "lowerdir=$jre_tree,upperdir=$upper,workdir=$work" "$root"
  mounts+=("$root")
  # As Vagrant's config.vm.hostname does (the cached tree carries the host's name).
  echo "$name" >"$root/etc/hostname"
  # Vagrant's rsync folder: the project, read-only.
  systemd-nspawn --quiet --boot --register=no --keep-unit --machine="$name" --directory="$root" \
    --network-namespace-path="/run/netns/$prefix-n$((i + 1))" --bind-ro="$project:/vagrant" \
    >"$run_dir/$name.console" 2>&1 &
  pid=$!
  nspawn_pids+=("$pid")
  echo "$pid" >"$run_dir/$name.pid"
}

# PID 1 of the machine, as seen from the host: the child of its nspawn process.
machine_leader() {
  local pid
  pid=$(cat "$run_dir/${names[$1]}.pid")
  cut -d' ' -f1 "/proc/$pid/task/$pid/children" 2>/dev/null
}

in_machine() {
  local leader
  leader=$(machine_leader "$1")
  [ -n "$leader" ] || return 1
  shift
  nsenter --target "$leader" --mount --uts --ipc --net --pid -- "$@"
}

wait_for_boot() {
  local i=$1 state="" deadline=$((SECONDS + boot_timeout))
  while [ "$SECONDS" -lt "$deadline" ]; do
    state=$(in_machine "$i" systemctl is-system-running 2>/dev/null) || true
    case $state in
      running | degraded) say "${names[$i]} booted ($state)"; return 0 ;;
    esac
    sleep 1
  done
  cat "$run_dir/${names[$i]}.console" >&2 || true
  die "${names[$i]} did not boot within ${boot_timeout}s (state: ${state:-unknown})"
}

# What Vagrant's shell provisioner does: upload the script to /tmp/vagrant-shell, then as root
# `chmod +x /tmp/vagrant-shell && export VAR=... && /tmp/vagrant-shell ARGS...`.
provision() {
  local i=$1 require_leader=$2 peers=() j
  for j in 0 1 2; do
    [ "$j" -ne "$i" ] && peers+=("${ips[$j]}")
  done
  local peer_list
  peer_list=$(IFS=,; echo "${peers[*]}")
  in_machine "$i" cp /vagrant/provision.sh /tmp/vagrant-shell
  in_machine "$i" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    bash -c "chmod +x /tmp/vagrant-shell && export BEACON_REQUIRE_LEADER=$require_leader && \
      /tmp/vagrant-shell '${names[$i]}' '${ips[$i]}' '$peer_list'"
}

# --- Checks -----------------------------------------------------------------------------------------------------

http() { in_switch curl -fsS --max-time 10 "$@"; }

check_leader() {
  local deadline=$((SECONDS + cluster_timeout)) leaders=() i answer
  while :; do
    leaders=()
    for i in 0 1 2; do
      answer=$(http "http://${ips[$i]}:8500/v1/status/leader" 2>/dev/null) || answer=""
      leaders+=("$answer")
    done
    if [ -n "${leaders[0]}" ] && [ "${leaders[0]}" != '""' ] \
        && [ "${leaders[0]}" = "${leaders[1]}" ] && [ "${leaders[1]}" = "${leaders[2]}" ]; then
      break
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      fail "no common leader within ${cluster_timeout}s: ${leaders[*]}"
      return
    fi
    sleep 2
  done
  case ${leaders[0]} in
    '"192.168.56.11:8300"' | '"192.168.56.12:8300"' | '"192.168.56.13:8300"')
      pass "one leader, ${leaders[0]}, named by all three" ;;
    *) fail "leader ${leaders[0]} is not one of the three servers" ;;
  esac
  local peers
  peers=$(http "http://${ips[0]}:8500/v1/status/peers")
  if [ "$peers" = '["192.168.56.11:8300","192.168.56.12:8300","192.168.56.13:8300"]' ]; then
    pass "peers: $peers"
  else
    fail "peers: $peers"
  fi
}

check_kv() {
  local value="written-on-beacon-1-$$" put got
  put=$(http -X PUT --data "$value" "http://${ips[0]}:8500/v1/kv/deploy-test/key") || put="(error)"
  got=$(http "http://${ips[2]}:8500/v1/kv/deploy-test/key?raw") || got="(error)"
  if [ "$put" = true ] && [ "$got" = "$value" ]; then
    pass "KV write on beacon-1 read on beacon-3"
  else
    fail "KV: PUT on beacon-1 answered '$put', GET on beacon-3 answered '$got'"
  fi
}

check_etcd() {
  local value="etcd-on-beacon-1-$$" put got
  put=$(http -X PUT --data "value=$value" "http://${ips[0]}:2379/v2/keys/deploy-test/etcd") || put="(error)"
  got=$(http "http://${ips[2]}:2379/v2/keys/deploy-test/etcd") || got="(error)"
  if [[ "$put" == *"\"value\":\"$value\""* ]] && [[ "$got" == *"\"value\":\"$value\""* ]]; then
    pass "etcd v2 write on beacon-1's 2379 read on beacon-3's 2379"
  else
    fail "etcd: PUT on beacon-1:2379 answered '$put', GET on beacon-3:2379 answered '$got'"
  fi
}

# The jar serves the UI / DNS once it contains those packages (they are being built on other branches).
check_http_and_ui() {
  local i code
  for i in 0 1 2; do
    if http "http://${ips[$i]}:8500/v1/agent/self" | grep -q "\"NodeName\":\"${names[$i]}\""; then
      pass "${names[$i]} answers the HTTP API on ${ips[$i]}:8500 as ${names[$i]}"
    else
      fail "${names[$i]}: no agent/self with its node name on ${ips[$i]}:8500"
    fi
    # /ui/ redirects to the services page; follow it.
    code=$(in_switch curl -sL -o /dev/null -w '%{http_code}' --max-time 10 "http://${ips[$i]}:8500/ui/") || true
    if [ "$code" = 200 ]; then pass "UI on ${ips[$i]}:8500/ui/"; else fail "UI on ${ips[$i]}:8500/ui/: $code"; fi
  done
}

check_dns() {
  local answer
  answer=$(in_switch dig @192.168.56.12 -p 8600 beacon-1.node.consul +short +time=3 +tries=2 2>&1) || true
  if [ "$answer" = 192.168.56.11 ]; then
    pass "dig @192.168.56.12 -p 8600 beacon-1.node.consul -> $answer"
  else
    fail "dig @192.168.56.12 -p 8600 beacon-1.node.consul -> '${answer//$'\n'/ }'"
  fi
}

check_service() {
  local i=$1 user enabled pid
  enabled=$(in_machine "$i" systemctl is-enabled beacon.service) || true
  pid=$(in_machine "$i" systemctl show -p MainPID --value beacon.service) || true
  user=$(in_machine "$i" stat -c %U "/proc/$pid") || true
  if [ "$enabled" = enabled ] && [ "$user" = beacon ]; then
    pass "${names[$i]}: beacon.service enabled, running as user beacon"
  else
    fail "${names[$i]}: beacon.service is '$enabled', runs as '$user'"
  fi
}

# A second run changes nothing and does not restart the service.
check_idempotent() {
  local before after
  before=$(in_machine 0 systemctl show -p MainPID --value beacon.service)
  if provision 0 1 >"$run_dir/reprovision.log" 2>&1; then
    after=$(in_machine 0 systemctl show -p MainPID --value beacon.service)
    if [ "$before" = "$after" ]; then
      pass "provision.sh again on beacon-1: exit 0, service not restarted (PID $after)"
    else
      fail "provision.sh again on beacon-1 restarted the service ($before -> $after)"
    fi
  else
    cat "$run_dir/reprovision.log" >&2
    fail "provision.sh failed when run again on beacon-1"
  fi
}

# --- Main -------------------------------------------------------------------------------------------------------

main() {
  [ "$(id -u)" -eq 0 ] || die "run as root (namespaces, mounts, systemd-nspawn)"
  local tool
  for tool in debootstrap systemd-nspawn ip nsenter curl dig; do
    command -v "$tool" >/dev/null || die "$tool is missing"
  done
  prepare_base_tree
  prepare_jre_tree
  if [ "${1:-}" = --prepare-only ]; then
    say "cached trees ready under $cache"
    return 0
  fi
  [ -f "$project/target/beacon.jar" ] || die "no target/beacon.jar: run mvn -B -DskipTests package first"

  trap cleanup EXIT
  mkdir -p "$run_dir"
  create_network
  local i
  for i in 0 1 2; do
    start_machine "$i"
  done
  for i in 0 1 2; do
    wait_for_boot "$i"
  done
  # Like `vagrant up` on VirtualBox: one machine after the other; the last one waits for the cluster.
  for i in 0 1 2; do
    say "provisioning ${names[$i]}"
    provision "$i" "$([ "$i" -eq 2 ] && echo 1 || echo 0)" || die "provision.sh failed on ${names[$i]}"
  done

  check_leader
  for i in 0 1 2; do
    check_service "$i"
  done
  check_kv
  check_etcd
  check_http_and_ui
  check_dns
  check_idempotent

  if [ "$failures" -gt 0 ]; then
    say "$failures check(s) failed"
    return 1
  fi
  say "all checks passed"
}

main "$@"
