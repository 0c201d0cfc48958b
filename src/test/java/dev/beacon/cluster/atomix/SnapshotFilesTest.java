package dev.beacon.cluster.atomix;

import static dev.beacon.cluster.atomix.SnapshotStores.snapshotOf;
import static dev.beacon.cluster.atomix.SnapshotStores.storeWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import dev.beacon.state.Command;
import dev.beacon.state.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot files: written and read back, fetched from their writer when missing, checked, pruned. */
class SnapshotFilesTest {
    private static final String LEADER = "127.0.0.1:8300";
    private static final String FOLLOWER = "127.0.0.2:8300";

    /** The snapshot a file holds, its trailer left off (the store's reader stops where the snapshot ends). */
    private static byte[] read(SnapshotFiles files, SnapshotFiles.Descriptor d) throws IOException {
        try (InputStream in = files.open(d)) {
            byte[] bytes = in.readAllBytes();
            return d.isSelfChecked() ? Arrays.copyOf(bytes, bytes.length - SnapshotFiles.TRAILER) : bytes;
        }
    }

    private static SnapshotFiles.Descriptor write(SnapshotFiles files, Store store) throws IOException {
        return new StoreSnapshots(files).snapshot(store);
    }

    @Test
    void aWrittenSnapshotReadsBackAsTheStoreWroteIt(@TempDir Path dir) throws IOException {
        Store store = storeWith(50);
        SnapshotFiles files = new SnapshotFiles(dir, LEADER);

        SnapshotFiles.Descriptor d = write(files, store);

        assertThat(d.index()).isEqualTo(50);
        assertThat(d.member()).isEqualTo(LEADER);
        assertThat(d.isSelfChecked()).isTrue();
        assertThat(read(files, d)).isEqualTo(snapshotOf(store));
        assertThat(files.stateBytes(d)).isEqualTo(snapshotOf(store).length);
    }

    @Test
    void aFileWrittenBeforeTrailersIsCheckedByItsDescriptor(@TempDir Path dir) throws IOException {
        Store store = storeWith(20);
        byte[] snapshot = snapshotOf(store);
        Files.write(dir.resolve("state-20.snapshot"), snapshot);
        CRC32 crc = new CRC32();
        crc.update(snapshot);
        SnapshotFiles files = new SnapshotFiles(dir, LEADER);

        SnapshotFiles.Descriptor d = SnapshotFiles.Descriptor.checkedByLength(20, snapshot.length, crc.getValue(),
                LEADER);

        assertThat(read(files, d)).isEqualTo(snapshot);
        SnapshotFiles.Descriptor wrongCrc = SnapshotFiles.Descriptor.checkedByLength(20, snapshot.length,
                crc.getValue() + 1, LEADER);
        assertThatThrownBy(() -> files.open(wrongCrc)).isInstanceOf(IOException.class).hasMessageContaining("missing");
    }

    @Test
    void aFollowerFetchesAMissingSnapshotFromItsWriterInChunks(@TempDir Path dir) throws IOException {
        Store store = storeWith(1_000); // ~3 MB: several chunks
        SnapshotFiles leader = new SnapshotFiles(dir.resolve("leader"), LEADER);
        SnapshotFiles follower = new SnapshotFiles(dir.resolve("follower"), FOLLOWER);
        int[] calls = {0};
        follower.setChunkSource((member, kind, index, offset) -> {
            assertThat(member).isEqualTo(LEADER);
            assertThat(kind).isEqualTo(SnapshotFiles.Kind.STATE);
            calls[0]++;
            return leader.chunk(kind, index, offset);
        });

        SnapshotFiles.Descriptor d = write(leader, store);
        byte[] fetched = read(follower, d);

        assertThat(fetched).isEqualTo(snapshotOf(store));
        int chunks = (int) ((leader.stateBytes(d) + SnapshotFiles.TRAILER) / SnapshotFiles.CHUNK) + 1;
        assertThat(chunks).isGreaterThan(2);
        assertThat(calls[0]).isEqualTo(chunks);
        read(follower, d);
        assertThat(calls[0]).as("kept after the first fetch").isEqualTo(chunks);
    }

    @Test
    void aDamagedLocalFileIsFetchedAgainAndAMissingOneWithNoSourceFails(@TempDir Path dir) throws IOException {
        Store store = storeWith(20);
        SnapshotFiles leader = new SnapshotFiles(dir.resolve("leader"), LEADER);
        SnapshotFiles.Descriptor d = write(leader, store);
        Path file = dir.resolve("leader").resolve("state-20.snapshot");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);

        assertThatThrownBy(() -> leader.open(d)).isInstanceOf(IOException.class).hasMessageContaining("missing");

        SnapshotFiles follower = new SnapshotFiles(dir.resolve("follower"), FOLLOWER);
        follower.setChunkSource((member, kind, index, offset) -> leader.chunk(kind, index, offset));
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
            write(files, store);
        }
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
