package dev.beacon.cluster.atomix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.beacon.cluster.ClusterSettings;
import dev.beacon.cluster.RaftTimeouts;
import dev.beacon.state.Command;
import dev.beacon.state.Outcome;
import dev.beacon.state.Store;
import dev.beacon.testing.TestCluster;
import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.session.RaftSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command that Atomix's leader parked behind a sequence gap its own thread race made up is committed by the leader,
 * not left until the client resends it. The race itself cannot be timed from a test; its outcome can be made: the
 * session's next expected number put back by one on the Raft thread (the state machine's stale write), a command
 * sent and parked, then the number raised again (the state machine's next result).
 */
class ParkedCommandsIT {
    private static final RaftTimeouts TIMEOUTS = new RaftTimeouts(Duration.ofMillis(1000), Duration.ofMillis(150));

    private AtomixCluster server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aCommandParkedBehindAGapThatIsNotThereIsCommittedWithoutAResend(@TempDir Path dir) throws Exception {
        String member = "127.0.0.1:" + TestCluster.freePort();
        server = new AtomixCluster(new ClusterSettings("s0", "dc1", member, List.of(member), dir.resolve("s0"),
                1 << 25, 1 << 21, TIMEOUTS), new Store());
        server.start();
        server.whenReady().get(90, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).until(server::isLeader);
        AtomixReplicator replicator = new AtomixReplicator(server, Runnable::run);
        replicator.submit(put("first")).get(30, TimeUnit.SECONDS);
        RaftContext raft = RaftIntrospection.contextOf(RaftIntrospection.serverOf(server.raftPartitions().get(1)));

        Map<RaftSession, Long> expected = onRaftThread(raft, () -> {
            Map<RaftSession, Long> sequences = new HashMap<>();
            for (RaftSession session : raft.getSessions().getSessions()) {
                long sequence = session.getRequestSequence();
                if (sequence > 0) {
                    sequences.put(session, sequence);
                    RaftIntrospection.setField(RaftSession.class, "requestSequence", session, sequence - 1);
                }
            }
            return sequences;
        });
        CompletableFuture<Outcome> second = replicator.submit(put("second"));
        await().atMost(Duration.ofSeconds(30)).until(() -> onRaftThread(raft,
                () -> expected.keySet().stream().anyMatch(session -> !session.getCommands().isEmpty())));
        onRaftThread(raft, () -> {
            expected.forEach(RaftSession::setRequestSequence);
            return null;
        });

        assertThat(second).succeedsWithin(Duration.ofSeconds(30));
        assertThat(server.parkedCommandsReleased()).as("parked commands committed by the leader").isOne();
        assertThat(server.isLeader()).isTrue();
    }

    private static Command put(String value) {
        return new Command.KvPut("parked", value.getBytes(StandardCharsets.UTF_8), false, 0, false, null, null, 0,
                false);
    }

    private static <T> T onRaftThread(RaftContext raft, Supplier<T> action) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        raft.getThreadContext().execute(() -> done.complete(action.get()));
        return done.get(10, TimeUnit.SECONDS);
    }
}
