package dev.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

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

    @Test
    void aFollowerBehindACompactedLogIsRestoredFromASnapshotAndEverythingSurvivesARestart(@TempDir Path dir)
            throws Exception {
        try (TestCluster cluster = new TestCluster(dir)) {
            cluster.nodes().forEach(n -> n.with("beacon.raft.segment-size", "64KB")
                    .with("beacon.raft.max-entry-size", "16KB"));
            cluster.startAll();
            BeaconNode leader = cluster.awaitLeader();
            BeaconNode lagging = cluster.followers(leader).get(0);
            lagging.stop();

            byte[] value = "x".repeat(900).getBytes(StandardCharsets.UTF_8);
            Outcome last = null;
            for (int i = 0; i < WRITES; i++) {
                last = submit(leader, new Command.KvSet("snap/" + i, value, i, Command.NO_CAS));
            }
            for (BeaconNode node : cluster.running()) {
                node.compaction().compactLog().get(60, TimeUnit.SECONDS);
            }
            Outcome afterCompaction = submit(leader, new Command.KvSet("snap/after", value, 0, Command.NO_CAS));

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

    private static Outcome submit(BeaconNode node, Command command) throws Exception {
        return node.replicator().submit(command).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static KvEntry awaitKey(BeaconNode node, String key) {
        return await().atMost(WAIT).until(() -> node.store().kvGet(key).value(), e -> e != null);
    }
}
