package dev.beacon.cluster.atomix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.beacon.cluster.ClusterSettings;
import dev.beacon.cluster.RaftTimeouts;
import dev.beacon.state.Command;
import dev.beacon.state.Store;
import dev.beacon.testing.TestCluster;
import io.atomix.protocols.raft.RaftServer;
import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.impl.RaftServiceManager;
import io.atomix.protocols.raft.storage.log.RaftLogReader;
import io.atomix.storage.journal.JournalReader;
import io.atomix.storage.journal.SegmentedJournal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No reader of a server's Raft log that nothing reads from is left behind the log's last segment, where a compaction
 * would make it re-read a whole segment on the Raft thread: not after the log rolled over several segments, and not
 * on a server that lost the leadership.
 */
class IdleLogReadersIT {
    private static final RaftTimeouts TIMEOUTS = new RaftTimeouts(Duration.ofMillis(1000), Duration.ofMillis(150));
    /** Small segments, so that a few megabytes of writes roll the log over several of them. */
    private static final int SEGMENT_BYTES = 1 << 20;
    private static final int MAX_ENTRY_BYTES = 1 << 16;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<AtomixCluster> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(AtomixCluster::stop);
    }

    @Test
    void idleReadersFollowTheLogsLastSegmentOnLeaderAndFollowersAlsoAfterALeaderChange(@TempDir Path dir)
            throws Exception {
        start(dir);
        AtomixCluster first = leader();
        writeSegments(first, "before/");
        for (AtomixCluster server : servers) {
            awaitNoIdleReaderBehind(server);
        }

        first.stop();
        List<AtomixCluster> survivors = servers.stream().filter(s -> s != first).toList();
        await().atMost(Duration.ofSeconds(60)).until(() -> survivors.stream().anyMatch(AtomixCluster::isLeader));
        AtomixCluster second = survivors.stream().filter(AtomixCluster::isLeader).findFirst().orElseThrow();
        writeSegments(second, "after/");
        for (AtomixCluster server : survivors) {
            awaitNoIdleReaderBehind(server);
        }
    }

    private void start(Path dir) throws Exception {
        int port = TestCluster.freePort();
        List<String> members = List.of("127.0.0.1:" + port, "127.0.0.2:" + port, "127.0.0.3:" + port);
        for (int i = 0; i < members.size(); i++) {
            servers.add(new AtomixCluster(new ClusterSettings("s" + i, "dc1", members.get(i), members,
                    dir.resolve("s" + i), SEGMENT_BYTES, MAX_ENTRY_BYTES, TIMEOUTS), new Store()));
        }
        servers.forEach(AtomixCluster::start);
        for (AtomixCluster server : servers) {
            server.whenReady().get(90, TimeUnit.SECONDS);
        }
    }

    private AtomixCluster leader() {
        await().atMost(Duration.ofSeconds(60)).until(() -> servers.stream().anyMatch(AtomixCluster::isLeader));
        return servers.stream().filter(AtomixCluster::isLeader).findFirst().orElseThrow();
    }

    /** About four segments' worth of 4 KiB values, through the leader. */
    private static void writeSegments(AtomixCluster leader, String prefix) throws Exception {
        AtomixReplicator replicator = new AtomixReplicator(leader);
        List<CompletableFuture<?>> writes = new ArrayList<>();
        for (int i = 0; i < 4 * SEGMENT_BYTES / 4096; i++) {
            writes.add(replicator.submit(new Command.KvSet(prefix + i, new byte[4096], 0, Command.NO_CAS)));
            if (writes.size() == 32) {
                CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                writes.clear();
            }
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    private static void awaitNoIdleReaderBehind(AtomixCluster server) {
        RaftContext raft = dataGroup(server);
        await().atMost(WAIT).untilAsserted(() -> assertThat(onRaftThread(raft, () -> idleReadersBehind(raft)))
                .as("positions of idle readers behind the last segment of %s's log", server.settings().localMember())
                .isEmpty());
    }

    /**
     * The next index of each open reader of the log that is behind its last segment, leaving out the ones that read:
     * the state machine's, and a leader's readers of its followers' logs.
     */
    @SuppressWarnings("unchecked")
    private static List<Long> idleReadersBehind(RaftContext raft) {
        SegmentedJournal<?> journal = RaftIntrospection.journalOf(raft.getLog());
        Collection<Object> open = (Collection<Object>) RaftIntrospection.field(SegmentedJournal.class, "readers",
                journal);
        Set<Object> reading = Collections.newSetFromMap(new IdentityHashMap<>());
        RaftLogReader stateMachine = (RaftLogReader) RaftIntrospection.field(RaftServiceManager.class, "reader",
                raft.getServiceManager());
        reading.add(RaftIntrospection.journalReaderOf(stateMachine));
        if (raft.getRole() == RaftServer.Role.LEADER) {
            raft.getCluster().getRemoteMemberStates()
                    .forEach(m -> reading.add(RaftIntrospection.journalReaderOf(m.getLogReader())));
        }
        long lastSegmentStart = RaftIntrospection.lastSegment(journal).index();
        List<Long> behind = new ArrayList<>();
        for (Object reader : open) {
            long next = ((JournalReader<?>) reader).getNextIndex();
            if (!reading.contains(reader) && next < lastSegmentStart) {
                behind.add(next);
            }
        }
        return behind;
    }

    private static RaftContext dataGroup(AtomixCluster server) {
        return RaftIntrospection.contextOf(RaftIntrospection.serverOf(server.raftPartitions().get(1)));
    }

    private static <T> T onRaftThread(RaftContext raft, Supplier<T> action) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        raft.getThreadContext().execute(() -> done.complete(action.get()));
        return done.get(10, TimeUnit.SECONDS);
    }
}
