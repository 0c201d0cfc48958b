package dev.beacon.etcd;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.RaftPeer;

/**
 * The answers of etcd v2's cluster endpoints (/v2/members, /v2/machines, /v2/stats/*, /version, /health), built
 * from what this server knows of the Raft cluster. Pure: the HTTP layer calls these methods, serializes the
 * records with Jackson and picks the status code (see each method). Field names and order are etcd 3.4's.
 * <p>
 * A Raft peer is an etcd member: its id comes from its node name ({@link EtcdMemberIds}), its peer URL is its Raft
 * address, and its client URL is its host with this server's etcd port. Beacon does not gossip each server's
 * etcd port, so all servers are assumed to serve etcd on the same port; a server configured otherwise is listed
 * with a client URL that does not answer.
 */
public final class EtcdClusterInfo {
    /** etcd's answer on /v2/stats/leader from a server that does not lead (HTTP 403). */
    public static final Message NOT_LEADER = new Message("not current leader");
    /** etcd's answer on /v2/members/leader while there is no leader (HTTP 503). */
    public static final Message DURING_ELECTION = new Message("During election");
    /**
     * The versions an etcd 3.4 server with v2 enabled reports; the last 3.x line that serves the v2 API, which
     * is what etcdctl with ETCDCTL_API=2 and v2 client libraries expect.
     */
    static final Version VERSION = new Version("3.4.23", "3.4.0");
    /** Go's zero time, which etcd prints where it has no time. */
    private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");
    private static final DateTimeFormatter RFC3339_SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private final ClusterView view;
    private final int clientPort;
    private final String scheme;
    private final Clock clock;
    /** The leader this server last saw and since when; etcd's leaderInfo. */
    private final AtomicReference<LeaderEpoch> leaderEpoch = new AtomicReference<>();
    private final AtomicLong leaderChanges = new AtomicLong();
    /** {@link #clusterId()}, once computed (a benign race: every thread computes the same string). */
    private volatile String clusterId;

    public EtcdClusterInfo(ClusterView view, int clientPort) {
        this(view, clientPort, "http", Clock.systemUTC());
    }

    public EtcdClusterInfo(ClusterView view, int clientPort, String scheme, Clock clock) {
        this.view = view;
        this.clientPort = clientPort;
        this.scheme = scheme;
        this.clock = clock;
    }

    /**
     * The value of the X-Etcd-Cluster-ID header etcd sends on /v2/members and /v2/keys: hashed once, as every key
     * request sends it and the datacenter does not change while the server runs.
     */
    public String clusterId() {
        String id = clusterId;
        if (id == null) {
            id = EtcdMemberIds.clusterId(view.settings().datacenter());
            clusterId = id;
        }
        return id;
    }

    /** GET /v2/members: 200, every Raft peer, by id as etcd lists them. */
    public Members members() {
        List<Member> members = new ArrayList<>();
        for (RaftPeer peer : view.peers()) {
            members.add(memberOf(peer));
        }
        members.sort(Comparator.comparing(Member::id));
        return new Members(members);
    }

    /**
     * GET /v2/members/leader (etcdctl member list reads it for isLeader): 200 with the leader, or empty, which
     * etcd answers with 503 {@link #DURING_ELECTION}.
     */
    public Optional<Member> leader() {
        return view.peers().stream().filter(RaftPeer::leader).findFirst().map(this::memberOf);
    }

    /** GET /v2/machines: 200 text/plain, the members' client URLs sorted, joined by ", " as etcd joins them. */
    public String machines() {
        return String.join(", ", members().members().stream()
                .flatMap(member -> member.clientURLs().stream()).sorted().toList());
    }

    /**
     * GET /v2/stats/self: 200. {@code state} is only ever StateLeader or StateFollower (a candidate counts as a
     * follower; etcd 3.4 shows the same two). The append counts are whatever the caller has counted (Beacon's
     * Raft does not count them: pass {@link SelfCounters#NONE} for 0); the packet and bandwidth rates are not
     * measured and left out, which is how etcd renders them when they are 0.
     *
     * @param startTime when this server started
     */
    public SelfStats selfStats(Instant startTime, SelfCounters counters) {
        LeaderEpoch epoch = observeLeader();
        String name = view.settings().nodeName();
        LeaderInfo leaderInfo = epoch == null
                ? new LeaderInfo("", goDuration(Duration.ZERO), rfc3339(GO_ZERO_TIME))
                : new LeaderInfo(epoch.leaderId(), goDuration(Duration.between(epoch.since(), clock.instant())),
                rfc3339(epoch.since()));
        return new SelfStats(name, EtcdMemberIds.memberId(name), view.isLeader() ? "StateLeader" : "StateFollower",
                rfc3339(startTime), leaderInfo, counters.recvAppendRequestCnt(), null, null,
                counters.sendAppendRequestCnt(), null, null);
    }

    /**
     * Notes the current leader, so that leaderInfo.startTime is when this server first saw it. selfStats calls
     * it; wire it to run every second as well, or the time is that of the first stats request after an election.
     * Returns the epoch now known, null if no leader was ever seen.
     */
    public LeaderEpoch observeLeader() {
        Optional<RaftPeer> leader = view.peers().stream().filter(RaftPeer::leader).findFirst();
        if (leader.isEmpty()) {
            return leaderEpoch.get();
        }
        String leaderId = EtcdMemberIds.memberId(leader.get().nodeName());
        long term = view.term();
        while (true) {
            LeaderEpoch known = leaderEpoch.get();
            if (known != null && known.leaderId().equals(leaderId) && known.term() == term) {
                return known;
            }
            LeaderEpoch next = new LeaderEpoch(leaderId, term, clock.instant());
            if (leaderEpoch.compareAndSet(known, next)) {
                leaderChanges.incrementAndGet();
                return next;
            }
        }
    }

    /**
     * How many leaders (a leader and its term) this server has seen since it started, the first included, as
     * etcd's {@code etcd_server_leader_changes_seen_total} counts them; seen when {@link #observeLeader} runs.
     */
    public long leaderChangesSeen() {
        return leaderChanges.get();
    }

    /**
     * GET /v2/stats/leader: 200 on the leader; empty on any other server, which etcd answers with 403 and
     * {@link #NOT_LEADER}. Followers are the other Raft peers the leader has samples of; latencies are in
     * milliseconds, like etcd's.
     */
    public Optional<LeaderStats> leaderStats(FollowerLatencies latencies) {
        if (!view.isLeader()) {
            return Optional.empty();
        }
        String local = view.settings().localMember();
        Map<String, FollowerLatencies.Stats> samples = latencies.snapshot();
        Map<String, FollowerStats> followers = new TreeMap<>();
        for (RaftPeer peer : view.peers()) {
            FollowerLatencies.Stats stats = samples.get(peer.address());
            if (!peer.address().equals(local) && stats != null) {
                followers.put(EtcdMemberIds.memberId(peer.nodeName()), new FollowerStats(
                        new Latency(stats.current(), stats.average(), stats.standardDeviation(), stats.minimum(),
                                stats.maximum()),
                        new Counts(stats.fail(), stats.success())));
            }
        }
        return Optional.of(new LeaderStats(EtcdMemberIds.memberId(view.settings().nodeName()), followers));
    }

    /** GET /version: 200 application/json. */
    public Version version() {
        return VERSION;
    }

    /**
     * GET /health: etcd 3.4 answers 200 {@code {"health":"true"}} while it has a leader, else 503
     * {@code {"health":"false"}} (both with Content-Type text/plain; charset=utf-8, the 503 body followed by a
     * newline because etcd writes it with http.Error). Here: healthy when this server has joined and knows a
     * leader. etcd also reports false while an alarm (NOSPACE) is raised; Beacon has no such alarm.
     */
    public Health health() {
        return view.isReady() && view.leader().isPresent() ? Health.TRUE : Health.FALSE;
    }

    private Member memberOf(RaftPeer peer) {
        String host = hostOf(peer.address());
        return new Member(EtcdMemberIds.memberId(peer.nodeName()), peer.nodeName(),
                List.of(scheme + "://" + peer.address()), List.of(scheme + "://" + host + ":" + clientPort));
    }

    /** The host of {@code host:port}, bracketed if it is an IPv6 address, ready to put back in a URL. */
    static String hostOf(String address) {
        String host = address.substring(0, address.lastIndexOf(':'));
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** Go's time.Time in RFC3339Nano, as etcd prints times: UTC, fraction without trailing zeros. */
    static String rfc3339(Instant instant) {
        String fraction = instant.getNano() == 0 ? "" : "." + stripZeros(String.format("%09d", instant.getNano()));
        return RFC3339_SECONDS.format(instant) + fraction + "Z";
    }

    /** Go's time.Duration.String(), as etcd prints uptime: "2.5s", "1m30s", "1h0m0.1s", "1.5ms", "0s". */
    static String goDuration(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos < 0) {
            return "-" + goDuration(duration.negated());
        }
        if (nanos == 0) {
            return "0s";
        }
        if (nanos < 1_000) {
            return nanos + "ns";
        }
        if (nanos < 1_000_000) {
            return decimal(nanos, 3) + "µs";
        }
        if (nanos < 1_000_000_000) {
            return decimal(nanos, 6) + "ms";
        }
        long seconds = nanos / 1_000_000_000;
        String text = decimal(seconds % 60 * 1_000_000_000 + nanos % 1_000_000_000, 9) + "s";
        long minutes = seconds / 60;
        if (minutes > 0) {
            text = minutes % 60 + "m" + text;
            long hours = minutes / 60;
            if (hours > 0) {
                text = hours + "h" + text;
            }
        }
        return text;
    }

    /** {@code value / 10^digits}, fraction without trailing zeros. */
    private static String decimal(long value, int digits) {
        long unit = (long) Math.pow(10, digits);
        String fraction = stripZeros(String.format("%0" + digits + "d", value % unit));
        return value / unit + (fraction.isEmpty() ? "" : "." + fraction);
    }

    private static String stripZeros(String digits) {
        int end = digits.length();
        while (end > 0 && digits.charAt(end - 1) == '0') {
            end--;
        }
        return digits.substring(0, end);
    }

    /** The leader this server saw in a term, and when it first saw it. */
    public record LeaderEpoch(String leaderId, long term, Instant since) {
    }

    /** Raft message counts for /v2/stats/self, as far as the caller counts them. */
    public record SelfCounters(long recvAppendRequestCnt, long sendAppendRequestCnt) {
        public static final SelfCounters NONE = new SelfCounters(0, 0);
    }

    @JsonPropertyOrder({"members"})
    public record Members(@JsonProperty("members") List<Member> members) {
    }

    @JsonPropertyOrder({"id", "name", "peerURLs", "clientURLs"})
    public record Member(@JsonProperty("id") String id, @JsonProperty("name") String name,
                         @JsonProperty("peerURLs") List<String> peerURLs,
                         @JsonProperty("clientURLs") List<String> clientURLs) {
    }

    /** etcd omits the rates while they are 0 (Go's omitempty); null here does the same. */
    @JsonPropertyOrder({"name", "id", "state", "startTime", "leaderInfo", "recvAppendRequestCnt", "recvPkgRate",
            "recvBandwidthRate", "sendAppendRequestCnt", "sendPkgRate", "sendBandwidthRate"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SelfStats(@JsonProperty("name") String name, @JsonProperty("id") String id,
                            @JsonProperty("state") String state, @JsonProperty("startTime") String startTime,
                            @JsonProperty("leaderInfo") LeaderInfo leaderInfo,
                            @JsonProperty("recvAppendRequestCnt") long recvAppendRequestCnt,
                            @JsonProperty("recvPkgRate") Double recvPkgRate,
                            @JsonProperty("recvBandwidthRate") Double recvBandwidthRate,
                            @JsonProperty("sendAppendRequestCnt") long sendAppendRequestCnt,
                            @JsonProperty("sendPkgRate") Double sendPkgRate,
                            @JsonProperty("sendBandwidthRate") Double sendBandwidthRate) {
    }

    @JsonPropertyOrder({"leader", "uptime", "startTime"})
    public record LeaderInfo(@JsonProperty("leader") String leader, @JsonProperty("uptime") String uptime,
                             @JsonProperty("startTime") String startTime) {
    }

    @JsonPropertyOrder({"leader", "followers"})
    public record LeaderStats(@JsonProperty("leader") String leader,
                              @JsonProperty("followers") Map<String, FollowerStats> followers) {
    }

    @JsonPropertyOrder({"latency", "counts"})
    public record FollowerStats(@JsonProperty("latency") Latency latency, @JsonProperty("counts") Counts counts) {
    }

    @JsonPropertyOrder({"current", "average", "standardDeviation", "minimum", "maximum"})
    public record Latency(@JsonProperty("current") double current, @JsonProperty("average") double average,
                          @JsonProperty("standardDeviation") double standardDeviation,
                          @JsonProperty("minimum") double minimum, @JsonProperty("maximum") double maximum) {
    }

    @JsonPropertyOrder({"fail", "success"})
    public record Counts(@JsonProperty("fail") long fail, @JsonProperty("success") long success) {
    }

    @JsonPropertyOrder({"etcdserver", "etcdcluster"})
    public record Version(@JsonProperty("etcdserver") String etcdserver,
                          @JsonProperty("etcdcluster") String etcdcluster) {
    }

    /** etcd sends "true"/"false" as strings. */
    public record Health(@JsonProperty("health") String health) {
        public static final Health TRUE = new Health("true");
        public static final Health FALSE = new Health("false");

        /** Whether to answer 200 (else 503). */
        public boolean healthy() {
            return "true".equals(health);
        }
    }

    /** etcd's error body on the cluster endpoints: {@code {"message":"..."}}. */
    public record Message(@JsonProperty("message") String message) {
    }
}
