package dev.beacon.cluster.atomix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.beacon.cluster.ClusterSettings;
import dev.beacon.cluster.RaftTimeouts;
import dev.beacon.state.Command;
import dev.beacon.state.Outcome;
import dev.beacon.state.Store;
import dev.beacon.testing.TestCluster;
import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.partition.RaftPartition;
import io.atomix.protocols.raft.roles.LeaderRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Followers apply an etcd write as soon as the leader has, not at the leader's next heartbeat: with the data group's
 * heartbeats stopped (its leader's timer cancelled, its followers' election timeout raised so that they do not
 * depose it), each write still reaches every follower's state machine.
 */
class PromptCommitsIT {
    private static final RaftTimeouts TIMEOUTS = new RaftTimeouts(Duration.ofMillis(1000), Duration.ofMillis(150));
    private static final Duration NO_ELECTIONS = Duration.ofMinutes(5);
    private static final int WRITES = 5;

    private final List<AtomixCluster> servers = new ArrayList<>();
    private final List<Store> stores = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(AtomixCluster::stop);
    }

    @Test
    void followersApplyEachEtcdWriteWithoutAHeartbeat(@TempDir Path dir) throws Exception {
        int leader = startWithoutHeartbeats(dir);
        AtomixReplicator replicator = new AtomixReplicator(servers.get(leader));
        for (int write = 0; write < WRITES; write++) {
            long index = put(replicator, "v" + write);
            for (int follower : followersOf(leader)) {
                assertApplied(follower, index, "v" + write);
            }
        }
    }

    /**
     * A follower still busy with the write's append when the other follower's answer commits it (here: its Raft
     * thread held for longer than a heartbeat interval) is sent the commit once it answers.
     */
    @Test
    void aFollowerStillStoringTheWriteWhenItCommitsIsToldOnceItAnswers(@TempDir Path dir) throws Exception {
        int leader = startWithoutHeartbeats(dir);
        AtomixReplicator replicator = new AtomixReplicator(servers.get(leader));
        int busy = followersOf(leader).get(0);
        int other = followersOf(leader).get(1);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        dataGroup(servers.get(busy)).getThreadContext().execute(() -> {
            held.countDown();
            waitFor(release);
        });
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        long index;
        try {
            index = put(replicator, "while busy");
            assertApplied(other, index, "while busy");
            Thread.sleep(TIMEOUTS.heartbeatInterval().multipliedBy(3).toMillis());
            assertThat(stores.get(busy).lastIndex()).as("applied on the busy follower before it answered")
                    .isLessThan(index);
        } finally {
            release.countDown();
        }
        assertApplied(busy, index, "while busy");
    }

    /** Starts three servers and stops the data group's heartbeats; returns the leader's position. */
    private int startWithoutHeartbeats(Path dir) throws Exception {
        int port = TestCluster.freePort();
        List<String> members = List.of("127.0.0.1:" + port, "127.0.0.2:" + port, "127.0.0.3:" + port);
        for (int i = 0; i < members.size(); i++) {
            Store store = new Store();
            stores.add(store);
            servers.add(new AtomixCluster(new ClusterSettings("s" + i, "dc1", members.get(i), members,
                    dir.resolve("s" + i), 1 << 25, 1 << 21, TIMEOUTS), store));
        }
        servers.forEach(AtomixCluster::start);
        for (AtomixCluster server : servers) {
            server.whenReady().get(90, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> servers.stream().anyMatch(AtomixCluster::isLeader));
        int leader = servers.indexOf(servers.stream().filter(AtomixCluster::isLeader).findFirst().orElseThrow());
        stopHeartbeats(leader);
        return leader;
    }

    private static List<Integer> followersOf(int leader) {
        List<Integer> followers = new ArrayList<>(List.of(0, 1, 2));
        followers.remove(Integer.valueOf(leader));
        return followers;
    }

    private static long put(AtomixReplicator replicator, String value) throws Exception {
        Outcome outcome = replicator.submit(new Command.KvPut("prompt", value.getBytes(StandardCharsets.UTF_8), false,
                0, false, null, null, 0, false)).get(30, TimeUnit.SECONDS);
        return outcome.index();
    }

    private void assertApplied(int follower, long index, String value) {
        CompletableFuture<Void> applied = new CompletableFuture<>();
        stores.get(follower).watchApplied(index, () -> applied.complete(null));
        assertThat(applied).as("index %d applied on server %d", index, follower)
                .succeedsWithin(Duration.ofSeconds(10));
        assertThat(stores.get(follower).kvGet("prompt").value().value())
                .asString(StandardCharsets.UTF_8).isEqualTo(value);
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Raises every data-group server's election timeout, lets one heartbeat re-arm the followers' timers with it,
     * then cancels the leader's heartbeat timer.
     */
    private void stopHeartbeats(int leader) throws Exception {
        for (AtomixCluster server : servers) {
            RaftContext raft = dataGroup(server);
            onRaftThread(raft, () -> raft.setElectionTimeout(NO_ELECTIONS));
        }
        Thread.sleep(TIMEOUTS.heartbeatInterval().multipliedBy(4).toMillis());
        RaftContext raft = dataGroup(servers.get(leader));
        Method cancel = RaftIntrospection.accessibleMethod(LeaderRole.class, "cancelAppendTimer");
        onRaftThread(raft, () -> {
            try {
                cancel.invoke(raft.getRaftRole());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static RaftContext dataGroup(AtomixCluster server) {
        RaftPartition data = server.raftPartitions().get(1);
        return RaftIntrospection.contextOf(RaftIntrospection.serverOf(data));
    }

    private static void onRaftThread(RaftContext raft, Runnable action) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        raft.getThreadContext().execute(() -> {
            action.run();
            done.complete(null);
        });
        done.get(10, TimeUnit.SECONDS);
    }
}
