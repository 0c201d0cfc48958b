# Beacon runtime image. The jar is built outside: `mvn -B -DskipTests package`, then `docker build -t beacon .`.
# BASE_IMAGE is any Debian or Ubuntu image; one that already has a JRE and curl needs no package download (the
# deploy test builds offline from such a base).
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}

RUN set -eu; \
    if ! command -v java >/dev/null || ! command -v curl >/dev/null; then \
      apt-get update; \
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless curl; \
      rm -rf /var/lib/apt/lists/*; \
    fi; \
    groupadd --system --gid 10001 beacon; \
    useradd --system --uid 10001 --gid beacon --home-dir /var/lib/beacon --no-create-home \
      --shell /usr/sbin/nologin beacon; \
    install -d -o beacon -g beacon -m 0750 /var/lib/beacon

COPY target/beacon.jar bin/beacon /opt/beacon/
# The extracted jar and its class-data-sharing archive, made once here: each start then takes about half as long.
RUN /opt/beacon/beacon prepare

# Numeric, so Kubernetes' runAsNonRoot can verify it.
USER 10001:10001
WORKDIR /var/lib/beacon
ENV BEACON_CLIENT_ADDRESS=0.0.0.0 \
    BEACON_DATA_DIR=/var/lib/beacon \
    JAVA_OPTS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError"
VOLUME /var/lib/beacon
# HTTP API, DNS, Raft, the WAN port other datacenters reach (beacon.ports.serf-wan; BEACON_RETRY_JOIN_WAN lists
# their servers), and the etcd v2 API (beacon.ports.etcd; BEACON_PORTS_ETCD=-1 turns it off).
EXPOSE 8500/tcp 8600/tcp 8600/udp 8300/tcp 8302/tcp 2379/tcp

# Healthy once this server knows a leader, i.e. it is part of a working cluster.
HEALTHCHECK --interval=10s --timeout=5s --start-period=90s --retries=3 \
  CMD curl -fsS --max-time 4 http://127.0.0.1:8500/v1/status/leader | grep -q ':' || exit 1

# Command-line arguments (--beacon.x=y) are passed on to Beacon, JAVA_OPTS to the JVM.
ENTRYPOINT ["/opt/beacon/beacon"]
