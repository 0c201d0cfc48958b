package dev.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import dev.beacon.state.Command;
import dev.beacon.state.KvEntry;
import dev.beacon.state.Outcome;
import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots and log compaction with real servers. Segments are kept tiny so that a few hundred writes fill many
 * of them: after compaction the leader no longer has the entries a stopped follower missed, so that follower
 * can only come back through a snapshot install (the state machine's restore), not by replaying the log. The
 * leader snapshots while writes go on, so its snapshot is a state file and the delta of the writes applied while it
 * was written: the follower fetches both, and every server restarted restores its own.
 */
class SnapshotIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int WRITES = 300;
    private static final byte[] VALUE = "x".repeat(900).getBytes(StandardCharsets.UTF_8);

    @Test
    void aFollowerBehindACompactedLogIsRestoredFromASnapshotAndEverythingSurvivesARestart(@TempDir Path dir)
            throws Exception {
        try (TestCluster cluster = new TestCluster(dir)) {
            BeaconNode lagging = startAndStopAFollower(cluster);
            BeaconNode leader = cluster.awaitLeader();
            Outcome last = fill(leader);
            Map<String, Long> acknowledged = compactWhileWriting(leader);
            // Together: Atomix completes each compaction 10-20 s after its snapshot.
            CompletableFuture.allOf(cluster.running().stream().filter(node -> node != leader)
                    .map(node -> node.compaction().compactLog()).toArray(CompletableFuture[]::new))
                    .get(60, TimeUnit.SECONDS);
            Outcome afterCompaction = submit(leader, new Command.KvSet("snap/after", VALUE, 0, Command.NO_CAS));

            lagging.start();
            KvEntry caughtUp = awaitKey(lagging, "snap/after");
            assertThat(caughtUp.modifyIndex()).isEqualTo(afterCompaction.index());
            assertThat(lagging.store().kvList("snap/").value()).hasSize(WRITES + 1);
            assertThat(lagging.store().kvGet("snap/" + (WRITES - 1)).value().modifyIndex()).isEqualTo(last.index());
            assertThat(lagging.store().kvGet("snap/7").value().flags()).isEqualTo(7);
            assertHolds(lagging, acknowledged);

            cluster.stopAll();
            cluster.startAll();
            cluster.awaitLeader();
            for (BeaconNode node : cluster.nodes()) {
                assertThat(awaitKey(node, "snap/after").modifyIndex()).as(node.name())
                        .isEqualTo(afterCompaction.index());
                assertThat(node.store().kvList("snap/").value()).as(node.name()).hasSize(WRITES + 1);
                assertHolds(node, acknowledged);
            }
        }
    }

    /**
     * Snapshots the leader while writes go on, until one of its snapshots has commands in its delta (the writes
     * applied while its state file was written); returns the writes acknowledged meanwhile, with their indexes.
     */
    private static Map<String, Long> compactWhileWriting(BeaconNode leader) throws Exception {
        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 50_000 && writing.get(); i++) {
                try {
                    acknowledged.put("during/" + i,
                            submit(leader, new Command.KvSet("during/" + i, VALUE, 0, Command.NO_CAS)).index());
                } catch (Exception e) {
                    return;
                }
            }
        });
        writer.start();
        Path snapshots = Path.of(leader.property("beacon.data-dir")).resolve("snapshots");
        // The snapshot is in its files at once, but Atomix completes the compaction 10-20 s later: the writes stop
        // as soon as the files show it, and the compaction is asked for again only once the last one completed.
        AtomicReference<CompletableFuture<Void>> compaction = new AtomicReference<>();
        try {
            await().atMost(WAIT).until(() -> {
                if (compaction.get() == null || compaction.get().isDone()) {
                    compaction.set(leader.compaction().compactLog());
                }
                return newestHasCommands(snapshots);
            });
        } finally {
            writing.set(false);
            writer.join();
        }
        compaction.get().get(60, TimeUnit.SECONDS);
        return acknowledged;
    }

    /** Starts the cluster with tiny log segments and stops one follower, which it returns. */
    private static BeaconNode startAndStopAFollower(TestCluster cluster) {
        cluster.nodes().forEach(n -> n.with("beacon.raft.segment-size", "64KB")
                .with("beacon.raft.max-entry-size", "16KB"));
        cluster.startAll();
        BeaconNode lagging = cluster.followers(cluster.awaitLeader()).get(0);
        lagging.stop();
        return lagging;
    }

    /** Writes {@link #WRITES} keys {@code snap/<i>} with flags i through the leader; returns the last outcome. */
    private static Outcome fill(BeaconNode leader) throws Exception {
        Outcome last = null;
        for (int i = 0; i < WRITES; i++) {
            last = submit(leader, new Command.KvSet("snap/" + i, VALUE, i, Command.NO_CAS));
        }
        return last;
    }

    private static void assertHolds(BeaconNode node, Map<String, Long> acknowledged) {
        assertThat(acknowledged).isNotEmpty();
        acknowledged.forEach((key, index) -> assertThat(node.store().kvGet(key).value()).as(node.name() + " " + key)
                .isNotNull().extracting(KvEntry::modifyIndex).isEqualTo(index));
    }

    /**
     * Whether the newest snapshot Atomix took there has a delta that records at least one command: more than its end
     * mark and trailer. Only a snapshot Atomix took has a delta; a state file prepared while a compaction was still
     * completing (the compaction policy prepares them too) has none yet.
     */
    private static boolean newestHasCommands(Path snapshots) throws IOException {
        long newest;
        try (Stream<Path> files = Files.list(snapshots)) {
            newest = files.map(f -> f.getFileName().toString())
                    .filter(name -> name.matches("state-\\d+\\.delta"))
                    .mapToLong(name -> Long.parseLong(name.replaceAll("\\D", "")))
                    .max().orElse(-1);
        }
        Path delta = snapshots.resolve("state-" + newest + ".delta");
        return Files.exists(delta) && Files.size(delta) > Long.BYTES + 2 * Long.BYTES;
    }

    private static Outcome submit(BeaconNode node, Command command) throws Exception {
        return node.replicator().submit(command).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static KvEntry awaitKey(BeaconNode node, String key) {
        return await().atMost(WAIT).until(() -> node.store().kvGet(key).value(), e -> e != null);
    }
}
