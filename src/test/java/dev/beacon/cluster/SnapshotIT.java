package dev.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * can only come back through a snapshot install (the state machine's restore), not by replaying the log.
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
            for (BeaconNode node : cluster.running()) {
                node.compaction().compactLog().get(60, TimeUnit.SECONDS);
            }
            Outcome afterCompaction = submit(leader, new Command.KvSet("snap/after", VALUE, 0, Command.NO_CAS));

            lagging.start();
            KvEntry caughtUp = awaitKey(lagging, "snap/after");
            assertThat(caughtUp.modifyIndex()).isEqualTo(afterCompaction.index());
            assertThat(lagging.store().kvList("snap/").value()).hasSize(WRITES + 1);
            assertThat(lagging.store().kvGet("snap/" + (WRITES - 1)).value().modifyIndex()).isEqualTo(last.index());
            assertThat(lagging.store().kvGet("snap/7").value().flags()).isEqualTo(7);

            cluster.stopAll();
            cluster.startAll();
            cluster.awaitLeader();
            for (BeaconNode node : cluster.nodes()) {
                assertThat(awaitKey(node, "snap/after").modifyIndex()).as(node.name())
                        .isEqualTo(afterCompaction.index());
                assertThat(node.store().kvList("snap/").value()).as(node.name()).hasSize(WRITES + 1);
            }
        }
    }

    /**
     * A snapshot's file is written while the state machine goes on; the commands applied meanwhile are its delta.
     * A follower installed from such a snapshot fetches both files and replays the delta; every server restarted
     * restores its own.
     */
    @Test
    void writesAppliedWhileASnapshotFileIsWrittenSurviveAnInstallAndARestart(@TempDir Path dir) throws Exception {
        try (TestCluster cluster = new TestCluster(dir)) {
            BeaconNode lagging = startAndStopAFollower(cluster);
            BeaconNode leader = cluster.awaitLeader();
            fill(leader);

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
            Path leaderSnapshots = snapshots(leader);
            try {
                await().atMost(WAIT).until(() -> {
                    leader.compaction().compactLog().get(60, TimeUnit.SECONDS);
                    return hasCommands(leaderSnapshots);
                });
            } finally {
                writing.set(false);
                writer.join();
            }
            Outcome after = submit(leader, new Command.KvSet("snap/after", VALUE, 0, Command.NO_CAS));

            lagging.start();
            assertThat(awaitKey(lagging, "snap/after").modifyIndex()).isEqualTo(after.index());
            assertHolds(lagging, acknowledged);

            cluster.stopAll();
            cluster.startAll();
            cluster.awaitLeader();
            for (BeaconNode node : cluster.nodes()) {
                assertThat(awaitKey(node, "snap/after").modifyIndex()).as(node.name()).isEqualTo(after.index());
                assertHolds(node, acknowledged);
            }
        }
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

    private static Path snapshots(BeaconNode node) {
        return Path.of(node.property("beacon.data-dir")).resolve("snapshots");
    }

    /** Whether a delta file there records at least one command (more than its end mark and trailer). */
    private static boolean hasCommands(Path snapshots) throws IOException {
        try (Stream<Path> files = Files.list(snapshots)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".delta"))
                    .anyMatch(f -> f.toFile().length() > Long.BYTES + 2 * Long.BYTES);
        }
    }

    private static Outcome submit(BeaconNode node, Command command) throws Exception {
        return node.replicator().submit(command).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static KvEntry awaitKey(BeaconNode node, String key) {
        return await().atMost(WAIT).until(() -> node.store().kvGet(key).value(), e -> e != null);
    }
}
