package dev.beacon.cluster.atomix;

import static dev.beacon.cluster.atomix.SnapshotStores.snapshotOf;
import static dev.beacon.cluster.atomix.SnapshotStores.storeWith;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.beacon.state.Command;
import dev.beacon.state.CommandCodec;
import dev.beacon.state.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots prepared beside the state machine: a state file and the delta of the commands applied meanwhile. */
class StoreSnapshotsTest {
    private static final String LEADER = "127.0.0.1:8300";
    private static final String FOLLOWER = "127.0.0.2:8300";

    /** Applies a command as the state machine does: to the store, then told to the snapshots. */
    private static void apply(Store store, StoreSnapshots snapshots, long index, Command command) {
        long time = 1_700_000_000_000L + index;
        store.apply(index, time, command);
        snapshots.applied(index, time, CommandCodec.encode(command));
    }

    /** What a server that restores a descriptor from these files ends up with. */
    private static Store restored(SnapshotFiles files, SnapshotFiles.Descriptor d) throws IOException {
        Store store = new Store();
        new StoreSnapshots(files).restore(store, d);
        return store;
    }

    @Test
    void aPreparedSnapshotIsItsStateFileAndTheCommandsAppliedWhileItWasWritten(@TempDir Path dir) throws Exception {
        Store store = storeWith(50);
        SnapshotFiles leader = new SnapshotFiles(dir.resolve("leader"), LEADER);
        StoreSnapshots snapshots = new StoreSnapshots(leader);

        CompletableFuture<Void> prepared = snapshots.prepare(store);
        assertThat(snapshots.prepare(store)).as("one at a time").isNull();
        for (int i = 51; i <= 80; i++) {
            apply(store, snapshots, i, i % 3 == 0 ? new Command.KvDelete("k" + (i - 50), false, Command.NO_CAS)
                    : new Command.KvSet("new" + i, new byte[100], 0, Command.NO_CAS));
        }
        prepared.get();
        for (int i = 81; i <= 90; i++) {
            apply(store, snapshots, i, new Command.KvSet("k" + i, new byte[10], 0, Command.NO_CAS));
        }
        SnapshotFiles.Descriptor d = snapshots.snapshot(store);
        snapshots.awaitDurable();
        apply(store, snapshots, 91, new Command.KvSet("after", new byte[10], 0, Command.NO_CAS));

        assertThat(d.hasDelta()).isTrue();
        assertThat(d.base()).isEqualTo(50);
        assertThat(d.index()).isEqualTo(90);
        SnapshotFiles follower = new SnapshotFiles(dir.resolve("follower"), FOLLOWER);
        follower.setChunkSource((member, kind, index, offset) -> leader.chunk(kind, index, offset));
        Store expected = storeWith(50);
        for (int i = 51; i <= 90; i++) {
            expected.apply(i, 1_700_000_000_000L + i, i % 3 == 0 && i <= 80
                    ? new Command.KvDelete("k" + (i - 50), false, Command.NO_CAS)
                    : new Command.KvSet(i <= 80 ? "new" + i : "k" + i, new byte[i <= 80 ? 100 : 10], 0,
                            Command.NO_CAS));
        }
        assertThat(snapshotOf(restored(follower, d))).isEqualTo(snapshotOf(expected));
        assertThat(snapshotOf(restored(leader, d))).isEqualTo(snapshotOf(expected));
    }

    @Test
    void aPreparedSnapshotAtomixDidNotTakeIsDropped(@TempDir Path dir) throws Exception {
        Store store = storeWith(20);
        SnapshotFiles files = new SnapshotFiles(dir, LEADER);
        StoreSnapshots snapshots = new StoreSnapshots(files);
        CompletableFuture<Void> prepared = snapshots.prepare(store);
        prepared.get();
        apply(store, snapshots, 21, new Command.KvSet("x", new byte[10], 0, Command.NO_CAS));

        snapshots.discardIfUnused(prepared);

        SnapshotFiles.Descriptor d = snapshots.snapshot(store);
        assertThat(d.hasDelta()).isFalse();
        assertThat(d.index()).isEqualTo(21);
        assertThat(snapshotOf(restored(files, d))).isEqualTo(snapshotOf(store));
        assertThat(snapshots.prepare(store)).as("a new one may start").isNotNull()
                .succeedsWithin(Duration.ofMinutes(1));
    }

    @Test
    void noSnapshotIsPreparedWhileTheStoreIsBeingRestored(@TempDir Path dir) throws Exception {
        SnapshotFiles leader = new SnapshotFiles(dir.resolve("leader"), LEADER);
        SnapshotFiles.Descriptor installed = new StoreSnapshots(leader).snapshot(storeWith(50));
        Store store = new Store();
        SnapshotFiles follower = new SnapshotFiles(dir.resolve("follower"), FOLLOWER);
        StoreSnapshots snapshots = new StoreSnapshots(follower);
        List<CompletableFuture<Void>> preparedDuringFetch = new ArrayList<>();
        // The log compaction check runs beside the state machine, and may find the store empty (Atomix's new
        // instance of the state machine emptied it) while the state file is still being fetched.
        follower.setChunkSource((member, kind, index, offset) -> {
            if (preparedDuringFetch.isEmpty()) {
                preparedDuringFetch.add(snapshots.prepare(store));
            }
            return leader.chunk(kind, index, offset);
        });

        snapshots.restore(store, installed);
        for (int i = 51; i <= 60; i++) {
            apply(store, snapshots, i, new Command.KvSet("after" + i, new byte[10], 0, Command.NO_CAS));
        }
        SnapshotFiles.Descriptor d = snapshots.snapshot(store);

        assertThat(d.index()).isEqualTo(60);
        assertThat(snapshotOf(restored(follower, d))).isEqualTo(snapshotOf(store));
        assertThat(preparedDuringFetch).singleElement().satisfies(f -> assertThat(f).isCompletedExceptionally());
        assertThat(snapshots.prepare(store)).as("once restored, one may be prepared").isNotNull()
                .succeedsWithin(Duration.ofMinutes(1));
    }

    @Test
    void aSnapshotPreparedBeforeTheStoreWasEmptiedIsWrittenWhole(@TempDir Path dir) throws Exception {
        Store store = storeWith(20);
        SnapshotFiles files = new SnapshotFiles(dir, LEADER);
        StoreSnapshots snapshots = new StoreSnapshots(files);
        snapshots.prepare(store).get();
        // Atomix created the state machine anew and replays the log from its start.
        store.clear();
        for (int i = 1; i <= 5; i++) {
            apply(store, snapshots, i, new Command.KvSet("replayed" + i, new byte[10], 0, Command.NO_CAS));
        }

        SnapshotFiles.Descriptor d = snapshots.snapshot(store);

        assertThat(d.hasDelta()).isFalse();
        assertThat(d.index()).isEqualTo(5);
        assertThat(snapshotOf(restored(files, d))).isEqualTo(snapshotOf(store));
    }

}
