package dev.beacon.cluster.atomix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.beacon.cluster.ClusterSettings;
import dev.beacon.cluster.RaftTimeouts;
import dev.beacon.state.Store;
import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.partition.RaftPartition;
import io.atomix.protocols.raft.roles.FollowerRole;
import io.atomix.protocols.raft.roles.RaftRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lone server elects itself, and both of its Raft servers run with the configured timeouts, not Atomix's; the data
 * partition snapshots only when Beacon asks ({@link SnapshotsOnRequestOnly}). A new member of a larger group waits
 * the configured election timeout for its first election, not Atomix's own first 2.5-5 s.
 */
class RaftServerTuningIT {
    private static final RaftTimeouts TIMEOUTS = new RaftTimeouts(Duration.ofMillis(900), Duration.ofMillis(90));

    @Test
    void aLoneServerLeadsWithTheConfiguredTimeouts(@TempDir Path dataDir) throws Exception {
        String member = "127.0.0.1:" + freePort();
        ClusterSettings settings = new ClusterSettings("solo", "dc1", member, List.of(member), dataDir,
                1 << 25, 1 << 21, TIMEOUTS);
        AtomixCluster cluster = new AtomixCluster(settings, new Store());
        try {
            cluster.start();
            cluster.whenReady().get(60, TimeUnit.SECONDS);

            assertThat(cluster.isLeader()).isTrue();
            assertThat(cluster.leader()).contains(member);
            for (RaftPartition partition : cluster.raftPartitions()) {
                RaftContext context = RaftIntrospection.contextOf(RaftIntrospection.serverOf(partition));
                assertThat(context.getElectionTimeout()).as(partition.name()).isEqualTo(TIMEOUTS.electionTimeout());
                assertThat(context.getHeartbeatInterval()).as(partition.name())
                        .isEqualTo(TIMEOUTS.heartbeatInterval());
                // Idle, so only a monitor switched by SnapshotsOnRequestOnly reports high load.
                boolean highLoad = CompletableFuture.supplyAsync(() -> context.getLoadMonitor().isUnderHighLoad(),
                        context.getThreadContext()).get(10, TimeUnit.SECONDS);
                assertThat(highLoad).as(partition.name())
                        .isEqualTo(partition.name().startsWith(AtomixCluster.DATA_GROUP));
            }
        } finally {
            cluster.stop();
        }
    }

    /**
     * One member of a three-server group that never forms, with a ten-minute election timeout: its follower's election
     * timer is still the one it was given when tuned after Atomix's own first one (at most 5 s) would have fired.
     */
    @Test
    void aNewMemberWaitsTheConfiguredTimeoutForItsFirstElection(@TempDir Path dataDir) throws Exception {
        RaftTimeouts slow = new RaftTimeouts(Duration.ofMinutes(10), Duration.ofMillis(100));
        String member = "127.0.0.1:" + freePort();
        List<String> members = List.of(member, "127.0.0.2:" + freePort(), "127.0.0.3:" + freePort());
        AtomixCluster cluster = new AtomixCluster(new ClusterSettings("first", "dc1", member, members, dataDir,
                1 << 25, 1 << 21, slow), new Store());
        try {
            cluster.start();
            RaftPartition system = cluster.raftPartitions().get(0);
            await().atMost(Duration.ofSeconds(30)).until(() -> RaftIntrospection.serverOf(system) != null
                    && RaftIntrospection.contextOf(RaftIntrospection.serverOf(system)).getElectionTimeout()
                    .equals(slow.electionTimeout()));
            RaftContext context = RaftIntrospection.contextOf(RaftIntrospection.serverOf(system));
            Object tunedTimer = electionTimer(context);

            Thread.sleep(6_000);

            assertThat(electionTimer(context)).as("the follower's election timer 6 s after tuning")
                    .isNotNull().isSameAs(tunedTimer);
        } finally {
            cluster.stop();
        }
    }

    /** On the Raft thread, after the tuning (queued there before): the follower role's pending election timer. */
    private static Object electionTimer(RaftContext context) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            RaftRole role = context.getRaftRole();
            assertThat(role).isInstanceOf(FollowerRole.class);
            return RaftIntrospection.field(FollowerRole.class, "heartbeatTimer", role);
        }, context.getThreadContext()).get(10, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
