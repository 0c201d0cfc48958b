package dev.beacon.cluster.atomix;

import static org.awaitility.Awaitility.await;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.beacon.cluster.ClusterSettings;
import dev.beacon.cluster.RaftTimeouts;
import dev.beacon.state.Store;
import dev.beacon.testing.TestCluster;
import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.partition.RaftPartition;
import io.atomix.protocols.raft.roles.LeaderRole;

/**
 * Three {@link AtomixCluster}s on 127.0.0.1-3 in this JVM, each with its own store, for tests that reach into their
 * Raft servers: which one leads, the data group's Raft context, and a leader whose heartbeats stop.
 */
final class ThreeRaftServers implements AutoCloseable {
    /** Long enough that no follower stands for election while a test holds the leader's heartbeats back. */
    private static final Duration NO_ELECTIONS = Duration.ofMinutes(5);

    private final RaftTimeouts timeouts;
    private final List<AtomixCluster> servers = new ArrayList<>();
    private final List<Store> stores = new ArrayList<>();

    ThreeRaftServers(Path dir, RaftTimeouts timeouts) {
        this.timeouts = timeouts;
        int port = TestCluster.freePort();
        List<String> members = List.of("127.0.0.1:" + port, "127.0.0.2:" + port, "127.0.0.3:" + port);
        for (int i = 0; i < members.size(); i++) {
            Store store = new Store();
            stores.add(store);
            servers.add(new AtomixCluster(new ClusterSettings("s" + i, "dc1", members.get(i), members,
                    dir.resolve("s" + i), 1 << 25, 1 << 21, timeouts), store));
        }
    }

    /** Starts all three and returns the position of the leader they agree on. */
    int start() throws Exception {
        servers.forEach(AtomixCluster::start);
        for (AtomixCluster server : servers) {
            server.whenReady().get(90, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> servers.stream().anyMatch(AtomixCluster::isLeader));
        return servers.indexOf(servers.stream().filter(AtomixCluster::isLeader).findFirst().orElseThrow());
    }

    AtomixCluster server(int i) {
        return servers.get(i);
    }

    Store store(int i) {
        return stores.get(i);
    }

    static List<Integer> followersOf(int leader) {
        List<Integer> followers = new ArrayList<>(List.of(0, 1, 2));
        followers.remove(Integer.valueOf(leader));
        return followers;
    }

    /** The Raft context of server {@code i}'s data group. */
    RaftContext dataGroup(int i) {
        RaftPartition data = servers.get(i).raftPartitions().get(1);
        return RaftIntrospection.contextOf(RaftIntrospection.serverOf(data));
    }

    /**
     * Raises every data-group server's election timeout, lets one heartbeat re-arm the followers' timers with it,
     * then cancels the leader's heartbeat timer: the leader sends appends only for new entries from then on.
     */
    void stopHeartbeats(int leader) throws Exception {
        for (int i = 0; i < servers.size(); i++) {
            RaftContext raft = dataGroup(i);
            onRaftThread(raft, () -> raft.setElectionTimeout(NO_ELECTIONS));
        }
        Thread.sleep(timeouts.heartbeatInterval().multipliedBy(4).toMillis());
        RaftContext raft = dataGroup(leader);
        Method cancel = RaftIntrospection.accessibleMethod(LeaderRole.class, "cancelAppendTimer");
        onRaftThread(raft, () -> {
            try {
                cancel.invoke(raft.getRaftRole());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static void onRaftThread(RaftContext raft, Runnable action) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        raft.getThreadContext().execute(() -> {
            action.run();
            done.complete(null);
        });
        done.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        servers.forEach(AtomixCluster::stop);
    }
}
