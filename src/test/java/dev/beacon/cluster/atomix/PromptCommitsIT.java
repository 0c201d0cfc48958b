package dev.beacon.cluster.atomix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.beacon.cluster.RaftTimeouts;
import dev.beacon.state.Command;
import dev.beacon.state.Outcome;
import org.awaitility.Awaitility;
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
    private static final int WRITES = 5;

    private ThreeRaftServers servers;

    @AfterEach
    void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void followersApplyEachEtcdWriteWithoutAHeartbeat(@TempDir Path dir) throws Exception {
        int leader = startWithoutHeartbeats(dir);
        AtomixReplicator replicator = new AtomixReplicator(servers.server(leader), Runnable::run);
        for (int write = 0; write < WRITES; write++) {
            long index = put(replicator, "v" + write);
            for (int follower : ThreeRaftServers.followersOf(leader)) {
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
        AtomixReplicator replicator = new AtomixReplicator(servers.server(leader), Runnable::run);
        int busy = ThreeRaftServers.followersOf(leader).get(0);
        int other = ThreeRaftServers.followersOf(leader).get(1);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        servers.dataGroup(busy).getThreadContext().execute(() -> {
            held.countDown();
            waitFor(release);
        });
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        long index;
        try {
            index = put(replicator, "while busy");
            assertApplied(other, index, "while busy");
            Thread.sleep(TIMEOUTS.heartbeatInterval().multipliedBy(3).toMillis());
            assertThat(servers.store(busy).lastIndex()).as("applied on the busy follower before it answered")
                    .isLessThan(index);
        } finally {
            release.countDown();
        }
        assertApplied(busy, index, "while busy");
    }

    /** Starts three servers and stops the data group's heartbeats; returns the leader's position. */
    private int startWithoutHeartbeats(Path dir) throws Exception {
        servers = new ThreeRaftServers(dir, TIMEOUTS);
        int leader = servers.start();
        servers.stopHeartbeats(leader);
        return leader;
    }

    private static long put(AtomixReplicator replicator, String value) throws Exception {
        Outcome outcome = replicator.submit(new Command.KvPut("prompt", value.getBytes(StandardCharsets.UTF_8), false,
                0, false, null, null, 0, false)).get(30, TimeUnit.SECONDS);
        return outcome.index();
    }

    private void assertApplied(int follower, long index, String value) {
        Awaitility.await("index " + index + " applied on server " + follower).atMost(Duration.ofSeconds(10))
                .until(() -> servers.store(follower).lastIndex() >= index);
        assertThat(servers.store(follower).kvGet("prompt").value().value())
                .asString(StandardCharsets.UTF_8).isEqualTo(value);
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
