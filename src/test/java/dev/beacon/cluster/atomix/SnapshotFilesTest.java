package dev.beacon.cluster.atomix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import dev.beacon.state.Command;
import dev.beacon.state.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot files: written and read back, fetched from their writer when missing, checked, pruned. */
class SnapshotFilesTest {
    private static final String LEADER = "127.0.0.1:8300";
    private static final String FOLLOWER = "127.0.0.2:8300";

    private static Store storeWith(int keys) {
        Store store = new Store();
        for (int i = 1; i <= keys; i++) {
            store.apply(i, 0, new Command.KvSet("k" + i, new byte[3000], 0, Command.NO_CAS));
        }
        return store;
    }

    private static byte[] snapshotOf(Store store) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.writeSnapshot(out);
        return out.toByteArray();
    }

    private static byte[] read(SnapshotFiles files, SnapshotFiles.Descriptor d) throws IOException {
        try (InputStream in = files.open(d)) {
            return in.readAllBytes();
        }
    }

    @Test
    void aWrittenSnapshotReadsBackAsTheStoreWroteIt(@TempDir Path dir) throws IOException {
        Store store = storeWith(50);
        SnapshotFiles files = new SnapshotFiles(dir, LEADER);

        SnapshotFiles.Descriptor d = files.write(store);

        assertThat(d.index()).isEqualTo(50);
        assertThat(d.member()).isEqualTo(LEADER);
        assertThat(read(files, d)).isEqualTo(snapshotOf(store));
        assertThat(d.length()).isEqualTo(snapshotOf(store).length);
    }

    @Test
    void aFollowerFetchesAMissingSnapshotFromItsWriterInChunks(@TempDir Path dir) throws IOException {
        Store store = storeWith(1_000); // ~3 MB: several chunks
        SnapshotFiles leader = new SnapshotFiles(dir.resolve("leader"), LEADER);
        SnapshotFiles follower = new SnapshotFiles(dir.resolve("follower"), FOLLOWER);
        int[] calls = {0};
        follower.setChunkSource((member, index, offset) -> {
            assertThat(member).isEqualTo(LEADER);
            calls[0]++;
            return leader.chunk(index, offset);
        });

        SnapshotFiles.Descriptor d = leader.write(store);
        byte[] fetched = read(follower, d);

        assertThat(fetched).isEqualTo(snapshotOf(store));
        assertThat(calls[0]).isEqualTo((int) (d.length() / SnapshotFiles.CHUNK) + 1);
        read(follower, d);
        assertThat(calls[0]).as("kept after the first fetch").isEqualTo((int) (d.length() / SnapshotFiles.CHUNK) + 1);
    }

    @Test
    void aDamagedLocalFileIsFetchedAgainAndAMissingOneWithNoSourceFails(@TempDir Path dir) throws IOException {
        Store store = storeWith(20);
        SnapshotFiles leader = new SnapshotFiles(dir.resolve("leader"), LEADER);
        SnapshotFiles.Descriptor d = leader.write(store);
        Path file = dir.resolve("leader").resolve("state-20.snapshot");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);

        assertThatThrownBy(() -> leader.open(d)).isInstanceOf(IOException.class).hasMessageContaining("missing");

        SnapshotFiles follower = new SnapshotFiles(dir.resolve("follower"), FOLLOWER);
        follower.setChunkSource((member, index, offset) -> leader.chunk(index, offset));
        assertThatThrownBy(() -> follower.open(d)).isInstanceOf(IOException.class)
                .hasMessageContaining("does not match");
        assertThat(Files.exists(dir.resolve("follower").resolve("state-20.snapshot"))).isFalse();
    }

    @Test
    void onlyTheNewestFilesAreKept(@TempDir Path dir) throws IOException {
        assertThat(filesLeftAfterFiveSnapshots(dir, () -> 0))
                .isEqualTo(List.of("state-3.snapshot", "state-4.snapshot", "state-5.snapshot"));
    }

    /** Atomix recorded the snapshot at Raft index 2 (written at store index 2) and none of the three after it. */
    @Test
    void theFileOfTheSnapshotAtomixRecordedIsKeptBesideTheNewest(@TempDir Path dir) throws IOException {
        assertThat(filesLeftAfterFiveSnapshots(dir, () -> 2)).isEqualTo(
                List.of("state-2.snapshot", "state-3.snapshot", "state-4.snapshot", "state-5.snapshot"));
    }

    @Test
    void nothingIsDeletedWhileItIsNotKnownWhichSnapshotAtomixRecorded(@TempDir Path dir) throws IOException {
        assertThat(filesLeftAfterFiveSnapshots(dir, () -> SnapshotFiles.UNKNOWN)).hasSize(5);
    }

    private static List<String> filesLeftAfterFiveSnapshots(Path dir, LongSupplier recorded) throws IOException {
        SnapshotFiles files = new SnapshotFiles(dir, LEADER);
        files.setRecordedIndex(recorded);
        Store store = new Store();
        for (int i = 1; i <= 5; i++) {
            store.apply(i, 0, new Command.KvSet("k" + i, new byte[10], 0, Command.NO_CAS));
            files.write(store);
        }
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
