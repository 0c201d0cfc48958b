package dev.beacon.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.beacon.cluster.ClusterMember;
import dev.beacon.cluster.ClusterSettings;
import dev.beacon.cluster.ClusterView;
import dev.beacon.cluster.CountingReplicator;
import dev.beacon.cluster.RaftPeer;
import dev.beacon.cluster.RaftTimeouts;
import dev.beacon.cluster.Replicator;
import dev.beacon.state.Command;
import dev.beacon.state.Indexed;
import dev.beacon.state.Outcome;
import dev.beacon.state.Query;
import tools.jackson.databind.json.JsonMapper;

class EtcdClusterInfoTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String A = EtcdMemberIds.memberId("a");
    private static final String B = EtcdMemberIds.memberId("b");
    private static final String C = EtcdMemberIds.memberId("c");

    private final TestView view = new TestView();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00.5Z"));
    private final EtcdClusterInfo info = new EtcdClusterInfo(view, 2379, "http", clock);

    @Test
    void membersListsEveryRaftPeerById() {
        String json = JSON.writeValueAsString(info.members());

        // etcd lists members by id; these ids sort c, b, a.
        String expected = "{\"members\":[" + memberJson(C, "c", "10.0.0.3") + "," + memberJson(B, "b", "10.0.0.2")
                + "," + memberJson(A, "a", "10.0.0.1") + "]}";
        assertThat(sortedById(C, B, A)).isTrue();
        assertThat(json).isEqualTo(expected);
    }

    @Test
    void theLeaderIsTheMemberEtcdctlMarksIsLeader() {
        assertThat(JSON.writeValueAsString(info.leader().orElseThrow())).isEqualTo(memberJson(B, "b", "10.0.0.2"));

        view.leader = null;
        assertThat(info.leader()).isEmpty();
        assertThat(JSON.writeValueAsString(EtcdClusterInfo.DURING_ELECTION))
                .isEqualTo("{\"message\":\"During election\"}");
    }

    @Test
    void machinesAreTheClientUrlsSortedAndCommaSeparated() {
        assertThat(info.machines()).isEqualTo("http://10.0.0.1:2379, http://10.0.0.2:2379, http://10.0.0.3:2379");
    }

    @Test
    void ipv6HostsAreBracketedInClientUrls() {
        assertThat(EtcdClusterInfo.hostOf("[::1]:8300")).isEqualTo("[::1]");
        assertThat(EtcdClusterInfo.hostOf("fe80::1:8300")).isEqualTo("[fe80::1]");
        assertThat(EtcdClusterInfo.hostOf("10.0.0.1:8300")).isEqualTo("10.0.0.1");
    }

    @Test
    void selfStatsOnAFollower() {
        info.observeLeader();
        clock.advance(Duration.ofSeconds(90).plusMillis(250));

        String json = JSON.writeValueAsString(
                info.selfStats(Instant.parse("2026-12-03T09:59:58.123456789Z"), new EtcdClusterInfo.SelfCounters(7, 0)));

        assertThat(json).isEqualTo("{\"name\":\"a\",\"id\":\"" + A + "\",\"state\":\"StateFollower\","
                + "\"startTime\":\"2026-12-03T09:59:58.123456789Z\",\"leaderInfo\":{\"leader\":\"" + B
                + "\",\"uptime\":\"1m30.25s\",\"startTime\":\"2026-12-03T10:00:00.5Z\"},"
                + "\"recvAppendRequestCnt\":7,\"sendAppendRequestCnt\":0}");
    }

    @Test
    void aNewLeaderOrTermRestartsLeaderInfo() {
        info.observeLeader();
        clock.advance(Duration.ofSeconds(5));
        info.observeLeader();
        assertThat(info.observeLeader().since()).isEqualTo(Instant.parse("2026-12-03T10:00:00.5Z"));

        assertThat(info.leaderChangesSeen()).isEqualTo(1);

        view.term = 8;
        assertThat(info.observeLeader().since()).isEqualTo(Instant.parse("2026-12-03T10:00:05.5Z"));
        assertThat(info.leaderChangesSeen()).isEqualTo(2);

        view.leader = "10.0.0.1:8300";
        view.isLeader = true;
        clock.advance(Duration.ofSeconds(1));
        EtcdClusterInfo.SelfStats stats = info.selfStats(Instant.EPOCH, EtcdClusterInfo.SelfCounters.NONE);
        assertThat(stats.state()).isEqualTo("StateLeader");
        assertThat(stats.leaderInfo()).isEqualTo(new EtcdClusterInfo.LeaderInfo(A, "0s", "2026-12-03T10:00:06.5Z"));
        assertThat(info.leaderChangesSeen()).isEqualTo(3);
    }

    @Test
    void metricsNameTheLeaderAndTheStoreAsEtcdDoesThenAddTheServers() {
        EtcdStoreCounters counters = new EtcdStoreCounters();
        counters.get(true);
        counters.get(false);
        counters.set(true);
        counters.compareAndSwap(false);
        counters.watcherAdded();
        counters.watchRequested();
        counters.watchRequested();
        CountingReplicator proposals = new CountingReplicator(new Unanswered());
        proposals.submit(new Command.KvSet("k", new byte[0], 0, 0));
        EtcdMetrics metrics = new EtcdMetrics(view, info, counters, proposals, () -> 42, () -> 3,
                () -> "beacon_up 1\n");

        String text = metrics.render().text();

        assertThat(text).contains("# TYPE etcd_server_has_leader gauge\netcd_server_has_leader 1\n",
                "etcd_server_is_leader 0\n", "# TYPE etcd_server_leader_changes_seen_total counter\n"
                        + "etcd_server_leader_changes_seen_total 1\n",
                "etcd_server_proposals_applied_total 42\n", "etcd_server_proposals_committed_total 44\n",
                "# TYPE etcd_server_proposals_failed_total counter\netcd_server_proposals_failed_total 0\n",
                "# TYPE etcd_server_proposals_pending gauge\netcd_server_proposals_pending 1\n", "etcd_debugging_store_reads_total{action=\"get\"} 2\n",
                "etcd_debugging_store_writes_total{action=\"set\"} 1\n",
                "etcd_debugging_store_writes_total{action=\"compareAndSwap\"} 1\n",
                "etcd_debugging_store_writes_total{action=\"delete\"} 0\n", "etcd_debugging_store_expires_total 3\n",
                "etcd_debugging_store_watch_requests_total 2\n", "etcd_debugging_store_watchers 1\n");
        assertThat(text).endsWith("\nbeacon_up 1\n");

        view.leader = null;
        assertThat(metrics.render().text()).contains("etcd_server_has_leader 0\n");
    }

    @Test
    void selfStatsBeforeAnyLeaderUsesGoZeroTime() {
        view.leader = null;
        EtcdClusterInfo.SelfStats stats = info.selfStats(Instant.EPOCH, EtcdClusterInfo.SelfCounters.NONE);
        assertThat(stats.leaderInfo()).isEqualTo(new EtcdClusterInfo.LeaderInfo("", "0s", "0001-01-01T00:00:00Z"));
        assertThat(stats.startTime()).isEqualTo("1970-01-01T00:00:00Z");
    }

    @Test
    void leaderStatsOnlyOnTheLeader() {
        FollowerLatencies latencies = new FollowerLatencies();
        assertThat(info.leaderStats(latencies)).isEmpty();
        assertThat(JSON.writeValueAsString(EtcdClusterInfo.NOT_LEADER))
                .isEqualTo("{\"message\":\"not current leader\"}");

        view.leader = "10.0.0.1:8300";
        view.isLeader = true;
        latencies.success("10.0.0.2:8300", 1);
        latencies.success("10.0.0.2:8300", 3);
        latencies.failure("10.0.0.3:8300");
        latencies.success("10.0.0.1:8300", 99); // itself: not a follower
        latencies.success("10.0.0.9:8300", 5); // no longer a peer

        String json = JSON.writeValueAsString(info.leaderStats(latencies).orElseThrow());

        assertThat(json).isEqualTo("{\"leader\":\"" + A + "\",\"followers\":{"
        // by id, as Go renders a map: c before b.
                + "\"" + C + "\":{\"latency\":{\"current\":0.0,\"average\":0.0,\"standardDeviation\":0.0,"
                + "\"minimum\":0.0,\"maximum\":0.0},\"counts\":{\"fail\":1,\"success\":0}},"
                + "\"" + B + "\":{\"latency\":{\"current\":3.0,\"average\":2.0,\"standardDeviation\":1.0,"
                + "\"minimum\":1.0,\"maximum\":3.0},\"counts\":{\"fail\":0,\"success\":2}}}}");
    }

    @Test
    void storeStatsInEtcdsOrder() {
        EtcdStoreCounters counters = new EtcdStoreCounters();
        counters.get(true);
        counters.get(true);
        counters.get(false);
        counters.set(true);
        counters.create(false);
        counters.compareAndSwap(false);
        counters.compareAndDelete(true);
        counters.delete(true);
        counters.update(false);
        counters.watcherAdded();
        counters.watcherAdded();
        counters.watcherDone();

        assertThat(JSON.writeValueAsString(counters.snapshot(1))).isEqualTo("{\"getsSuccess\":2,\"getsFail\":1,"
                + "\"setsSuccess\":1,\"setsFail\":0,\"deleteSuccess\":1,\"deleteFail\":0,\"updateSuccess\":0,"
                + "\"updateFail\":1,\"createSuccess\":0,\"createFail\":1,\"compareAndSwapSuccess\":0,"
                + "\"compareAndSwapFail\":1,\"compareAndDeleteSuccess\":1,\"compareAndDeleteFail\":0,"
                + "\"expireCount\":1,\"watchers\":1}");
    }

    @Test
    void versionAsEtcd34() {
        assertThat(JSON.writeValueAsString(info.version()))
                .isEqualTo("{\"etcdserver\":\"3.4.23\",\"etcdcluster\":\"3.4.0\"}");
    }

    @Test
    void healthyWithALeaderOnceReady() {
        assertThat(JSON.writeValueAsString(info.health())).isEqualTo("{\"health\":\"true\"}");
        assertThat(info.health().healthy()).isTrue();

        view.leader = null;
        assertThat(JSON.writeValueAsString(info.health())).isEqualTo("{\"health\":\"false\"}");
        assertThat(info.health().healthy()).isFalse();

        view.leader = "10.0.0.2:8300";
        view.ready = false;
        assertThat(info.health().healthy()).isFalse();
    }

    @Test
    void clusterIdComesFromTheDatacenter() {
        assertThat(info.clusterId()).isEqualTo(EtcdMemberIds.clusterId("dc1"));
    }

    @Test
    void goDurations() {
        assertThat(EtcdClusterInfo.goDuration(Duration.ZERO)).isEqualTo("0s");
        assertThat(EtcdClusterInfo.goDuration(Duration.ofNanos(999))).isEqualTo("999ns");
        assertThat(EtcdClusterInfo.goDuration(Duration.ofNanos(1500))).isEqualTo("1.5µs");
        assertThat(EtcdClusterInfo.goDuration(Duration.ofMillis(12))).isEqualTo("12ms");
        assertThat(EtcdClusterInfo.goDuration(Duration.ofNanos(2_249_261_555L))).isEqualTo("2.249261555s");
        assertThat(EtcdClusterInfo.goDuration(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(EtcdClusterInfo.goDuration(Duration.ofHours(1).plusMillis(100))).isEqualTo("1h0m0.1s");
        assertThat(EtcdClusterInfo.goDuration(Duration.ofHours(50).plusMinutes(3))).isEqualTo("50h3m0s");
    }

    @Test
    void rfc3339NanoDropsTrailingZeros() {
        assertThat(EtcdClusterInfo.rfc3339(Instant.parse("2026-12-03T10:34:50.590Z")))
                .isEqualTo("2026-12-03T10:34:50.59Z");
        assertThat(EtcdClusterInfo.rfc3339(Instant.parse("2026-12-03T10:34:50.000000001Z")))
                .isEqualTo("2026-12-03T10:34:50.000000001Z");
    }

    private static String memberJson(String id, String name, String host) {
        return "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"peerURLs\":[\"http://" + host + ":8300\"],"
                + "\"clientURLs\":[\"http://" + host + ":2379\"]}";
    }

    /** The expected JSON lists c, b, a: only right if their ids sort that way, which the test checks. */
    private static boolean sortedById(String... ids) {
        for (int i = 1; i < ids.length; i++) {
            if (ids[i - 1].compareTo(ids[i]) > 0) {
                return false;
            }
        }
        return true;
    }

    /** A consensus engine that never answers: every command stays pending. */
    private static final class Unanswered implements Replicator {
        @Override
        public CompletableFuture<Outcome> submit(Command command) {
            return new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<Outcome> submitAndApplyHere(Command command, Duration atMost) {
            return new CompletableFuture<>();
        }

        @Override
        public <R> CompletableFuture<Indexed<R>> read(Query<R> query, boolean linearizable) {
            return new CompletableFuture<>();
        }
    }

    /** Three servers a, b, c on 10.0.0.1-3:8300; this one is a, b leads in term 7. */
    private static final class TestView implements ClusterView {
        String leader = "10.0.0.2:8300";
        boolean isLeader;
        boolean ready = true;
        long term = 7;
        long commitIndex = 44;

        @Override
        public ClusterSettings settings() {
            return new ClusterSettings("a", "dc1", "10.0.0.1:8300",
                    List.of("10.0.0.1:8300", "10.0.0.2:8300", "10.0.0.3:8300"), Path.of("/tmp/unused"), 1 << 20,
                    1 << 20, new RaftTimeouts(Duration.ofSeconds(1), Duration.ofMillis(100)));
        }

        @Override
        public CompletableFuture<Void> whenReady() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public Optional<String> leader() {
            return Optional.ofNullable(leader);
        }

        @Override
        public boolean isLeader() {
            return isLeader;
        }

        @Override
        public boolean mayAnswerDefaultReads() {
            return isLeader;
        }

        @Override
        public long term() {
            return term;
        }

        @Override
        public long commitIndex() {
            return commitIndex;
        }

        @Override
        public long lastContactMillis() {
            return 0;
        }

        @Override
        public Map<String, Long> followerLastContact() {
            return Map.of();
        }

        @Override
        public List<RaftPeer> peers() {
            return List.of(peer("a", "10.0.0.1:8300"), peer("c", "10.0.0.3:8300"), peer("b", "10.0.0.2:8300"));
        }

        private RaftPeer peer(String name, String address) {
            return new RaftPeer(name, address, address.equals(leader), true);
        }

        @Override
        public List<ClusterMember> members() {
            return List.of();
        }

        @Override
        public Map<String, Boolean> serverLiveness() {
            return Map.of();
        }
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
