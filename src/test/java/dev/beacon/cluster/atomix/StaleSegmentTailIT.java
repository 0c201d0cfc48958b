package dev.beacon.cluster.atomix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.beacon.state.Command;
import dev.beacon.testing.BeaconNode;
import dev.beacon.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Raft log's guards against stale entry lengths ({@link SegmentTails}, {@link TruncationGuard}) in a real
 * server: its Raft servers write through the guard, and restarted on a log whose full segments end in stale
 * lengths (as a truncation followed by a refilled segment leaves them, and on which Atomix alone fails: the server
 * never joins) it starts and has every write.
 */
class StaleSegmentTailIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int WRITES = 300;
    private static final int MAX_ENTRY_SIZE = 16 * 1024;

    @Test
    void aServerStartsOnALogWithStaleLengthsAtTheEndsOfItsSegments(@TempDir Path dir) throws Exception {
        byte[] value = "v".repeat(900).getBytes(StandardCharsets.UTF_8);
        try (BeaconNode node = new BeaconNode("stale-tail", "127.0.0.1", TestCluster.freePort(), List.of(), dir)
                .with("beacon.raft.segment-size", "64KB")
                .with("beacon.raft.max-entry-size", "16KB")) {
            node.start();
            awaitReady(node);
            assertThat(((AtomixCluster) node.cluster()).raftPartitions())
                    .as("every Raft server writes its log through the guard").hasSize(2)
                    .allSatisfy(partition -> assertThat(RaftIntrospection.contextOf(
                            RaftIntrospection.serverOf(partition)).getLogWriter()).isInstanceOf(TruncationGuard.class));
            for (int i = 0; i < WRITES; i++) {
                node.replicator().submit(new Command.KvSet("tail/" + i, value, i, Command.NO_CAS))
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            node.stop();

            List<Path> full = segments(dir.resolve("data/partitions/1"));
            int spoiled = 0;
            for (Path segment : full.subList(0, full.size() - 1)) {
                spoiled += spoilTail(segment) ? 1 : 0;
            }
            assertThat(spoiled).as("full segments given a stale length").isPositive();

            node.start();
            awaitReady(node);
            assertThat(node.store().kvList("tail/").value()).hasSize(WRITES);
            assertThat(node.store().kvGet("tail/" + (WRITES - 1)).value().value()).isEqualTo(value);
        }
    }

    private static void awaitReady(BeaconNode node) {
        await().atMost(WAIT).until(() -> node.cluster().isReady() && node.cluster().leader().isPresent());
    }

    /** Puts a length one byte longer than the room left after the segment's last entry, if it has room for one. */
    private static boolean spoilTail(Path segment) throws IOException {
        byte[] bytes = Files.readAllBytes(segment);
        ByteBuffer file = ByteBuffer.wrap(bytes);
        int position = SegmentTails.HEADER_BYTES;
        while (position + 8 <= file.limit() && file.getInt(position) > 0) {
            position += 8 + file.getInt(position);
        }
        int left = file.limit() - position - 8;
        if (left < 0 || left >= MAX_ENTRY_SIZE) {
            return false;
        }
        file.putInt(position, left + 1);
        Files.write(segment, bytes);
        return true;
    }

    /** The data group's segments in log order ({@code data-partition-1-<n>.log}). */
    private static List<Path> segments(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".log"))
                    .sorted(Comparator.comparingLong(StaleSegmentTailIT::segmentId))
                    .toList();
        }
    }

    private static long segmentId(Path segment) {
        String name = segment.getFileName().toString();
        return Long.parseLong(name.substring(name.lastIndexOf('-') + 1, name.length() - ".log".length()));
    }
}
