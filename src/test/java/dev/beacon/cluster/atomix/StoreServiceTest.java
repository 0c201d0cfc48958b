package dev.beacon.cluster.atomix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32;

import dev.beacon.state.Command;
import dev.beacon.state.CommandCodec;
import dev.beacon.state.Outcome;
import dev.beacon.state.Store;
import io.atomix.cluster.MemberId;
import io.atomix.primitive.PrimitiveId;
import io.atomix.primitive.PrimitiveType;
import io.atomix.primitive.operation.OperationType;
import io.atomix.primitive.service.ServiceConfig;
import io.atomix.primitive.service.ServiceContext;
import io.atomix.primitive.service.impl.DefaultBackupInput;
import io.atomix.primitive.service.impl.DefaultCommit;
import io.atomix.primitive.session.Session;
import io.atomix.utils.time.LogicalClock;
import io.atomix.utils.time.WallClock;
import io.atomix.utils.time.WallClockTimestamp;
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
    private StoreSnapshots snapshots;
    private final OwnOutcomes outcomes = new OwnOutcomes();

    @BeforeEach
    void createService() {
        snapshots = new StoreSnapshots(new SnapshotFiles(dir, "127.0.0.1:8300"));
        LeaderReads reads = new LeaderReads(() -> null);
        PromptCommits prompts = new PromptCommits(() -> null);
        service = new StoreService(new StoreType(store, snapshots, reads, prompts, outcomes), store, snapshots, reads,
                prompts, outcomes);
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
    void aWriteAnsweredHereThatARestoredSnapshotCoveredIsAnsweredWithoutItsOwnOutcome() {
        Buffer snapshot = backup();
        set(3, "busy/key");
        Store other = new Store();
        OwnOutcomes otherOutcomes = new OwnOutcomes();
        LeaderReads reads = new LeaderReads(() -> null);
        PromptCommits prompts = new PromptCommits(() -> null);
        StoreService behind = new StoreService(new StoreType(other, snapshots, reads, prompts, otherOutcomes), other,
                snapshots, reads, prompts, otherOutcomes);
        otherOutcomes.submitting();
        CompletableFuture<Outcome> answer = otherOutcomes.answered(2, Duration.ofMinutes(1));

        behind.restore(new DefaultBackupInput(snapshot, null));

        // The write at 2 was never applied here one by one: its answer goes on without this server's outcome.
        assertThat(answer).isCompletedWithValue(null);
        assertThat(other.lastIndex()).isEqualTo(2);
    }

    @Test
    void theLogToCountForTheNextSnapshotStartsAtTheOneRestored() {
        Buffer snapshot = backup();
        long length = snapshots.lastSnapshotBytes();
        set(3, "busy/key");
        snapshots.applied(3, 0, new byte[5_000]);
        assertThat(snapshots.appliedSinceSnapshot()).isEqualTo(5_000);

        service.restore(new DefaultBackupInput(snapshot, null));

        assertThat(length).isPositive();
        assertThat(snapshots.appliedSinceSnapshot()).isZero();
        assertThat(snapshots.lastSnapshotBytes()).isEqualTo(length);
    }

    @Test
    void aSnapshotRecordedBeforeFilesCarriedTrailersStillRestores() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.writeSnapshot(out);
        byte[] bytes = out.toByteArray();
        Files.write(dir.resolve("state-2.snapshot"), bytes);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        HeapBuffer recorded = HeapBuffer.allocate();
        new DefaultBackupOutput(recorded, null).writeInt(-2).writeLong(2).writeLong(bytes.length)
                .writeLong(crc.getValue()).writeString("127.0.0.1:8300");
        set(3, "busy/key");

        service.restore(new DefaultBackupInput(recorded.flip(), null));

        assertThat(store.lastIndex()).isEqualTo(2);
        assertThat(snapshots.lastSnapshotBytes()).isEqualTo(bytes.length);
    }

    @Test
    void aPreparedSnapshotIsTakenAtOnceAndRestoresToTheIndexItWasTakenAt() throws Exception {
        CompletableFuture<Void> prepared = snapshots.prepare(store);
        setRecorded(3, "busy/key");
        prepared.get();
        setRecorded(4, "new/key");

        Buffer snapshot = backup();
        setRecorded(5, "later/key");

        Store other = new Store();
        StoreSnapshots otherSnapshots = new StoreSnapshots(new SnapshotFiles(dir, "127.0.0.1:8300"));
        LeaderReads reads = new LeaderReads(() -> null);
        PromptCommits prompts = new PromptCommits(() -> null);
        OwnOutcomes otherOutcomes = new OwnOutcomes();
        StoreService restarted = new StoreService(new StoreType(other, otherSnapshots, reads, prompts, otherOutcomes),
                other, otherSnapshots, reads, prompts, otherOutcomes);
        restarted.restore(new DefaultBackupInput(snapshot, null));

        assertThat(other.lastIndex()).isEqualTo(4);
        assertThat(other.kvGet("busy/key").value().modifyIndex()).isEqualTo(3);
        assertThat(other.kvGet("new/key").value().modifyIndex()).isEqualTo(4);
        assertThat(other.kvGet("later/key").value()).isNull();
    }

    @Test
    void anEntryIsAppliedAtTheTimeItsLeaderStampedOnItNotTheLatestTimeSeen() {
        long stamped = 1_700_000_000_000L;
        // Atomix's service clock: the highest entry time so far, here left by a leader whose clock ran an hour fast.
        service.init(new AppliedAt(7, stamped + Duration.ofHours(1).toMillis()));
        Command expiring = new Command.KvSetExpiring("ttl/key", VALUE, 0, Command.NO_CAS, 5_000);

        service.apply(new DefaultCommit<>(7, StoreOperations.APPLY, CommandCodec.encode(expiring), null, stamped));

        assertThat(store.kvExpiredAt(stamped + 5_000)).containsEntry("ttl/key", stamped + 5_000);
    }

    /** The service context Atomix gives the state machine: at index {@code index}, its clock at {@code clock}. */
    private record AppliedAt(long index, long clock) implements ServiceContext {
        @Override
        public PrimitiveId serviceId() {
            return PrimitiveId.from(1);
        }

        @Override
        public String serviceName() {
            return "store";
        }

        @Override
        public PrimitiveType serviceType() {
            return null;
        }

        @Override
        public MemberId localMemberId() {
            return MemberId.from("127.0.0.1:8300");
        }

        @Override
        public <C extends ServiceConfig> C serviceConfig() {
            return null;
        }

        @Override
        public long currentIndex() {
            return index;
        }

        @Override
        public Session currentSession() {
            return null;
        }

        @Override
        public OperationType currentOperation() {
            return OperationType.COMMAND;
        }

        @Override
        public LogicalClock logicalClock() {
            return null;
        }

        @Override
        public WallClock wallClock() {
            return new WallClock() {
                @Override
                public WallClockTimestamp getTime() {
                    return new WallClockTimestamp(clock);
                }
            };
        }
    }

    /** A command applied as the state machine applies it: to the store, then told to the snapshots. */
    private void setRecorded(long index, String key) {
        Command command = new Command.KvSet(key, VALUE, 0, Command.NO_CAS);
        store.apply(index, 1_700_000_000_000L + index, command);
        snapshots.applied(index, 1_700_000_000_000L + index, CommandCodec.encode(command));
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
