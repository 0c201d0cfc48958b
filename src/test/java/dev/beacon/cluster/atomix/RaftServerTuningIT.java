package dev.beacon.cluster.atomix;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lone server elects itself, and both of its Raft servers run with the configured timeouts, not Atomix's; the data
 * partition snapshots only when Beacon asks ({@link SnapshotsOnRequestOnly}).
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
