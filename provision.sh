#!/usr/bin/env bash
# Installs one Beacon server on a Debian or Ubuntu machine as a systemd service, then waits until it answers.
# Vagrant runs it as root on each VM; it is safe to run again (it changes only what differs, and restarts the
# service only then).
#
# Usage: provision.sh NODE_NAME BIND_ADDRESS PEERS
#   NODE_NAME     this server's name (default: $BEACON_NODE_NAME, else the host name)
#   BIND_ADDRESS  the address the other servers reach this one at (default: $BEACON_BIND_ADDRESS)
#   PEERS         the other servers, comma-separated host or host:raftPort (default: $BEACON_PEERS)
# Environment:
#   BEACON_JAR              the jar to install (default /vagrant/target/beacon.jar: build it first with
#                           `mvn -B -DskipTests package`; this script builds nothing)
#   BEACON_LAUNCHER         the start script installed beside it (default: bin/beacon of the jar's project)
#   BEACON_DATACENTER       datacenter name (default dc1)
#   BEACON_PORTS_ETCD       the etcd v2 API's port on every address of the machine (default 2379; -1 turns it off)
#   BEACON_RETRY_JOIN_WAN   servers of other datacenters to join over the WAN, comma-separated host or host:port
#                           (port 8302 on BIND_ADDRESS; default none: this datacenter alone)
#   BEACON_JAVA_OPTS        JVM options for the service (default -XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError)
#   BEACON_WAIT_SECONDS     how long to wait for the node to answer (default 180)
#   BEACON_REQUIRE_LEADER   1: also wait until a leader is known, i.e. the cluster has formed (default 0, since
#                           the first servers of a sequential `vagrant up` have no quorum yet)
#   BEACON_SECURE           1: ACLs (default policy deny) and TLS on (default 0). Then also:
#   BEACON_CERTS            the directory with beacon-ca.pem, NODE_NAME.pem and NODE_NAME-key.pem, as bin/beacon-tls
#                           makes them (default /vagrant/certs)
#   BEACON_MANAGEMENT_TOKEN the initial management token (a UUID: the first admin token)
set -euo pipefail

node_name=${1:-${BEACON_NODE_NAME:-$(hostname)}}
bind_address=${2:-${BEACON_BIND_ADDRESS:-}}
peers=${3:-${BEACON_PEERS:-}}
jar=${BEACON_JAR:-/vagrant/target/beacon.jar}
launcher=${BEACON_LAUNCHER:-$(dirname "$jar")/../bin/beacon}
datacenter=${BEACON_DATACENTER:-dc1}
java_opts=${BEACON_JAVA_OPTS:--XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError}
wait_seconds=${BEACON_WAIT_SECONDS:-180}
require_leader=${BEACON_REQUIRE_LEADER:-0}
secure=${BEACON_SECURE:-0}
certs=${BEACON_CERTS:-/vagrant/certs}
management_token=${BEACON_MANAGEMENT_TOKEN:-}
etcd_port=${BEACON_PORTS_ETCD:-2379}
retry_join_wan=${BEACON_RETRY_JOIN_WAN:-}

http_port=8500
dns_port=8600
install_dir=/opt/beacon
config_dir=/etc/beacon
tls_dir=/etc/beacon/tls
data_dir=/var/lib/beacon
unit_file=/etc/systemd/system/beacon.service

log() { printf 'provision.sh [%s]: %s\n' "$node_name" "$*"; }
die() { log "error: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root"
[ -n "$bind_address" ] || die "no bind address: pass it as the second argument or set BEACON_BIND_ADDRESS"
[ -f "$jar" ] || die "no jar at $jar: run 'mvn -B -DskipTests package' on the host first (or set BEACON_JAR)"
if [ "$secure" = 1 ]; then
  for file in beacon-ca.pem "$node_name.pem" "$node_name-key.pem"; do
    [ -f "$certs/$file" ] || die "BEACON_SECURE=1 needs $certs/$file (make it with bin/beacon-tls)"
  done
  [ -n "$management_token" ] || die "BEACON_SECURE=1 needs BEACON_MANAGEMENT_TOKEN"
fi
[[ "$etcd_port" =~ ^(-1|[0-9]+)$ ]] || die "BEACON_PORTS_ETCD must be a port number or -1 (off), not '$etcd_port'"

# Writes stdin to a file if its content differs; returns 0 only when the file changed.
write_if_changed() {
  local target=$1 mode=$2 tmp
  tmp=$(mktemp)
  cat >"$tmp"
  if [ -f "$target" ] && cmp -s "$tmp" "$target"; then
    rm -f "$tmp"
    return 1
  fi
  install -m "$mode" "$tmp" "$target"
  rm -f "$tmp"
  return 0
}

install_packages() {
  local java_pkg="" pkg missing=()
  for pkg in openjdk-21-jre-headless openjdk-17-jre-headless; do
    if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      java_pkg=$pkg
      break
    fi
  done
  command -v curl >/dev/null || missing+=(curl)
  if [ -z "$java_pkg" ] || [ ${#missing[@]} -gt 0 ]; then
    log "installing packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    if [ -z "$java_pkg" ]; then
      # Beacon needs Java 17 or newer; the newest JRE the release packages (Debian 13 has only 21).
      for pkg in openjdk-21-jre-headless openjdk-17-jre-headless; do
        if apt-cache show "$pkg" >/dev/null 2>&1; then
          java_pkg=$pkg
          break
        fi
      done
      [ -n "$java_pkg" ] || die "no openjdk-17 or openjdk-21 JRE package in this release's archive"
      missing+=("$java_pkg")
    fi
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# Copies a file if its content differs; returns 0 only when it changed.
install_if_changed() {
  local source=$1 target=$2 mode=$3
  if [ -f "$target" ] && cmp -s "$source" "$target"; then
    return 1
  fi
  install -m "$mode" -o root -g beacon "$source" "$target"
  return 0
}

# The ACL and TLS lines of beacon.env in secure mode; nothing otherwise.
secure_settings() {
  [ "$secure" = 1 ] || return 0
  cat <<EOF
BEACON_ACL_ENABLED=true
BEACON_ACL_DEFAULT_POLICY=deny
BEACON_ACL_TOKENS_INITIAL_MANAGEMENT=$management_token
BEACON_TLS_CA_FILE=$tls_dir/ca.pem
BEACON_TLS_CERT_FILE=$tls_dir/cert.pem
BEACON_TLS_KEY_FILE=$tls_dir/key.pem
BEACON_PORTS_HTTPS=8501
EOF
}

install_files() {
  changed=0
  getent group beacon >/dev/null || groupadd --system beacon
  getent passwd beacon >/dev/null \
    || useradd --system --gid beacon --home-dir "$data_dir" --no-create-home --shell /usr/sbin/nologin beacon
  install -d -m 0755 "$install_dir" "$config_dir"
  install -d -m 0750 -o beacon -g beacon "$data_dir"

  if ! cmp -s "$jar" "$install_dir/beacon.jar" || ! cmp -s "$launcher" "$install_dir/beacon"; then
    install -m 0644 "$jar" "$install_dir/beacon.jar"
    install -m 0755 "$launcher" "$install_dir/beacon"
    # The extracted jar and its class-data-sharing archive, made once: each start then takes about half as long.
    "$install_dir/beacon" prepare
    changed=1
  fi

  if [ "$secure" = 1 ]; then
    install -d -m 0750 -o root -g beacon "$tls_dir"
    install_if_changed "$certs/beacon-ca.pem" "$tls_dir/ca.pem" 0644 && changed=1
    install_if_changed "$certs/$node_name.pem" "$tls_dir/cert.pem" 0644 && changed=1
    install_if_changed "$certs/$node_name-key.pem" "$tls_dir/key.pem" 0640 && changed=1
  fi

  local others=${peers//[[:space:]]/}
  local count=1 entry
  local -a list=()
  IFS=',' read -r -a list <<<"$others"
  for entry in "${list[@]}"; do
    [ -n "$entry" ] && count=$((count + 1))
  done

  # Readable by the service's group only: in secure mode it holds the management token.
  { cat <<EOF; secure_settings; } | write_if_changed "$config_dir/beacon.env" 0640 && changed=1
# Written by provision.sh; Spring Boot reads BEACON_X_Y as beacon.x-y (see README, Configuration).
BEACON_NODE_NAME=$node_name
BEACON_DATACENTER=$datacenter
BEACON_SERVER=true
BEACON_BOOTSTRAP_EXPECT=$count
BEACON_RETRY_JOIN=$others
BEACON_RETRY_JOIN_WAN=$retry_join_wan
BEACON_BIND_ADDRESS=$bind_address
BEACON_CLIENT_ADDRESS=0.0.0.0
BEACON_DATA_DIR=$data_dir
BEACON_PORTS_HTTP=$http_port
BEACON_PORTS_DNS=$dns_port
BEACON_PORTS_ETCD=$etcd_port
JAVA_OPTS=$java_opts
EOF
  chgrp beacon "$config_dir/beacon.env"

  write_if_changed "$unit_file" 0644 <<EOF && changed=1
[Unit]
Description=Beacon service-discovery server
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
User=beacon
Group=beacon
EnvironmentFile=$config_dir/beacon.env
WorkingDirectory=$data_dir
ExecStart=$install_dir/beacon
# The JVM exits with 143 on SIGTERM after a clean shutdown.
SuccessExitStatus=143
Restart=on-failure
RestartSec=5
TimeoutStopSec=60
LimitNOFILE=65536
TasksMax=4096
NoNewPrivileges=true
ProtectSystem=full
PrivateTmp=true

[Install]
WantedBy=multi-user.target
EOF
  return 0
}

start_service() {
  systemctl daemon-reload
  systemctl enable --quiet beacon.service
  if [ "$changed" -eq 1 ]; then
    log "configuration changed: (re)starting beacon"
    systemctl restart beacon.service
  else
    systemctl start beacon.service
  fi
}

# Waits until /v1/status/leader answers; with BEACON_REQUIRE_LEADER=1 until it names a leader.
wait_for_node() {
  local url="http://$bind_address:$http_port/v1/status/leader" deadline answer
  deadline=$((SECONDS + wait_seconds))
  while :; do
    if answer=$(curl -fsS --max-time 5 "$url" 2>/dev/null); then
      if [ "$answer" != '""' ]; then
        log "up; leader is $answer"
        wait_for_etcd
        return 0
      fi
      if [ "$require_leader" != 1 ]; then
        log "up; no leader yet (the cluster forms once a majority of the servers run)"
        wait_for_etcd
        return 0
      fi
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      systemctl --no-pager status beacon.service >&2 || true
      die "$url gave no ${answer:+leader }answer within ${wait_seconds}s"
    fi
    sleep 2
  done
}

# Checks that the etcd v2 API answers on the bind address (unless it is off); it starts with the HTTP API.
wait_for_etcd() {
  [ "$etcd_port" != -1 ] || return 0
  local url="http://$bind_address:$etcd_port/version" deadline
  deadline=$((SECONDS + 30))
  until curl -fsS --max-time 5 -o /dev/null "$url" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      die "the etcd v2 API gave no answer on $url (BEACON_PORTS_ETCD=-1 turns it off)"
    fi
    sleep 1
  done
  log "etcd v2 API on $bind_address:$etcd_port"
}

install_packages
install_files
start_service
wait_for_node
