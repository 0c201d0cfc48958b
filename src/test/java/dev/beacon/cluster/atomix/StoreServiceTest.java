package dev.beacon.cluster.atomix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.beacon.state.Command;
import dev.beacon.state.Store;
import io.atomix.primitive.service.impl.DefaultBackupInput;
import io.atomix.primitive.service.impl.DefaultBackupOutput;
import io.atomix.storage.buffer.Buffer;
import io.atomix.storage.buffer.HeapBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state machine's snapshots, through the calls Atomix makes: backup, then restore. */
class StoreServiceTest {
    private static final byte[] VALUE = "v".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private final Store store = new Store();
    private StoreService service;
    private SnapshotFiles files;

    @BeforeEach
    void createService() {
        files = new SnapshotFiles(dir, "127.0.0.1:8300");
        LeaderReads reads = new LeaderReads(() -> null);
        PromptCommits prompts = new PromptCommits(() -> null);
        service = new StoreService(new StoreType(store, files, reads, prompts), store, files, reads, prompts);
        set(1, "quiet/key");
        set(2, "busy/key");
    }

    @Test
    void theSnapshotJustTakenIsNotReadBackIntoTheStoreItCameFrom() {
        Buffer snapshot = backup();
        AtomicBoolean woken = parkOn("quiet/key");

        service.restore(new DefaultBackupInput(snapshot, null));

        // Atomix restores a snapshot it has just taken before the next entry; the store is already that state.
        assertThat(woken).as("parked reader woken by a rebuilt store").isFalse();
        assertThat(store.lastIndex()).isEqualTo(2);
        assertThat(store.kvGet("busy/key").value().modifyIndex()).isEqualTo(2);
    }

    @Test
    void aSnapshotOfAnotherIndexReplacesTheStore() {
        Buffer snapshot = backup();
        set(3, "busy/key");
        set(4, "new/key");

        service.restore(new DefaultBackupInput(snapshot, null));

        assertThat(store.lastIndex()).isEqualTo(2);
        assertThat(store.kvGet("busy/key").value().modifyIndex()).isEqualTo(2);
        assertThat(store.kvGet("new/key").value()).isNull();
    }

    @Test
    void theLogToCountForTheNextSnapshotStartsAtTheOneRestored() {
        Buffer snapshot = backup();
        long length = files.lastSnapshotBytes();
        set(3, "busy/key");
        files.noteApplied(5_000);
        assertThat(files.appliedSinceSnapshot()).isEqualTo(5_000);

        service.restore(new DefaultBackupInput(snapshot, null));

        assertThat(length).isPositive();
        assertThat(files.appliedSinceSnapshot()).isZero();
        assertThat(files.lastSnapshotBytes()).isEqualTo(length);
    }

    private Buffer backup() {
        HeapBuffer buffer = HeapBuffer.allocate();
        service.backup(new DefaultBackupOutput(buffer, null));
        return buffer.flip();
    }

    private AtomicBoolean parkOn(String key) {
        AtomicBoolean woken = new AtomicBoolean();
        store.watchKey(key, store.kvGet(key).index(), () -> woken.set(true));
        return woken;
    }

    private void set(long index, String key) {
        store.apply(index, 1_700_000_000_000L + index, new Command.KvSet(key, VALUE, 0, Command.NO_CAS));
    }
}
