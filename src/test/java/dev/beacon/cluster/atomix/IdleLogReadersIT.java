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
import io.atomix.protocols.raft.storage.log.entry.RaftLogEntry;
import io.atomix.storage.journal.JournalReader;
import io.atomix.storage.journal.JournalSegment;
import io.atomix.storage.journal.SegmentedJournal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No reader of a server's Raft log that nothing reads from is left behind the log's last segment, where a compaction
 * would make it re-read a whole segment on the Raft thread: not after the log rolled over several segments, and not
 * on a server that lost the leadership. Nor is a segment the log moved past re-read when it stops being mapped
 * ({@link SealedSegments}), and a server that was away still catches up through such segments.
 */
class IdleLogReadersIT {
    private static final RaftTimeouts TIMEOUTS = new RaftTimeouts(Duration.ofMillis(1000), Duration.ofMillis(150));
    /** Small segments, so that a few megabytes of writes roll the log over several of them. */
    private static final int SEGMENT_BYTES = 1 << 20;
    private static final int MAX_ENTRY_BYTES = 1 << 16;
    private static final int VALUE_BYTES = 4096;
    /** Writes of about half a segment between two looks of {@link IdleLogReaders}: one roll-over at most. */
    private static final int WRITES_PER_STEP = SEGMENT_BYTES / VALUE_BYTES / 2;
    private static final int STEPS = 8;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<AtomixCluster> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(AtomixCluster::stop);
    }

    @Test
    void idleReadersFollowTheLogsLastSegmentAndPassedSegmentsAreNotReReadAlsoAfterALeaderChange(@TempDir Path dir)
            throws Exception {
        start(dir);
        AtomixCluster first = leader();
        writeSegments(first, "before/", servers);
        for (AtomixCluster server : servers) {
            awaitNoIdleReaderBehind(server);
            assertPassedSegmentsSealed(server);
        }

        first.stop();
        List<AtomixCluster> survivors = servers.stream().filter(s -> s != first).toList();
        await().atMost(Duration.ofSeconds(60)).until(() -> survivors.stream().anyMatch(AtomixCluster::isLeader));
        AtomixCluster second = survivors.stream().filter(AtomixCluster::isLeader).findFirst().orElseThrow();
        writeSegments(second, "after/", survivors);
        for (AtomixCluster server : survivors) {
            awaitNoIdleReaderBehind(server);
            assertPassedSegmentsSealed(server);
        }

        Store returned = new Store();
        AtomixCluster back = new AtomixCluster(first.settings(), returned);
        servers.add(back);
        back.start();
        back.whenReady().get(90, TimeUnit.SECONDS);
        String lastKey = "after/" + (STEPS * WRITES_PER_STEP - 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> returned.kvGet(lastKey).value() != null);
        for (String key : List.of("before/0", "before/" + (STEPS * WRITES_PER_STEP - 1), "after/0", lastKey)) {
            assertThat(returned.kvGet(key).value()).as("%s on the server that was away", key).isNotNull();
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

    /**
     * About four segments' worth of 4 KiB values, through the leader, in steps of half a segment, each followed by a
     * look of every server's {@link IdleLogReaders} having moved the context's reader to the last segment.
     */
    private static void writeSegments(AtomixCluster leader, String prefix, List<AtomixCluster> up) throws Exception {
        AtomixReplicator replicator = new AtomixReplicator(leader, Runnable::run);
        int written = 0;
        for (int step = 0; step < STEPS; step++) {
            List<CompletableFuture<?>> writes = new ArrayList<>();
            for (int i = 0; i < WRITES_PER_STEP; i++) {
                writes.add(replicator.submit(new Command.KvSet(prefix + written++, new byte[VALUE_BYTES], 0,
                        Command.NO_CAS)));
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            for (AtomixCluster server : up) {
                awaitNoIdleReaderBehind(server);
            }
        }
    }

    /**
     * Every segment of the server's log but the last that nothing holds any more has its sealed writer, not the file
     * writer Atomix opens (reading the whole segment) when it unmaps one; and there are such segments.
     */
    private static void assertPassedSegmentsSealed(AtomixCluster server) throws Exception {
        RaftContext raft = dataGroup(server);
        List<String> writers = onRaftThread(raft, () -> {
            List<JournalSegment<RaftLogEntry>> segments = new ArrayList<>(
                    RaftIntrospection.journalOf(raft.getLog()).segments());
            return segments.subList(0, segments.size() - 1).stream()
                    .map(segment -> SealedSegments.currentWriterOf(segment).getClass().getSimpleName())
                    .toList();
        });
        assertThat(writers).as("writers of the passed segments of %s's log", server.settings().localMember())
                .hasSizeGreaterThanOrEqualTo(3)
                .doesNotContain("FileChannelJournalSegmentWriter")
                .contains(SealedSegmentWriter.class.getSimpleName());
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
