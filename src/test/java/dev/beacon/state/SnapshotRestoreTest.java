package dev.beacon.state;

import static dev.beacon.state.Fixtures.bytes;
import static dev.beacon.state.Fixtures.node;
import static dev.beacon.state.Fixtures.service;
import static dev.beacon.state.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/** {@link Command.RestoreState}: the whole state replaced through one log entry, or nothing changed. */
class SnapshotRestoreTest {

    /** A store with a bit of every kind of data (its alarm cleared again), at index 13. */
    private static Fixtures.Harness saved() {
        Fixtures.Harness h = GoldenBytesTest.storeForSnapshot();
        h.apply(new Command.SetAlarm("m1", Alarm.NOSPACE, false));
        h.apply(new Command.KvSet("config/db", bytes("postgres"), 7, Command.NO_CAS));
        assertThat(h.store.lastIndex()).isEqualTo(13);
        return h;
    }

    @Test
    void aSnapshotStagedInPartsRestoresAsOneEntryWould() throws IOException {
        byte[] snapshot = saved().snapshot();
        Fixtures.Harness whole = new Fixtures.Harness();
        whole.applyAt(40, new Command.RestoreState(snapshot));

        Fixtures.Harness parts = new Fixtures.Harness();
        parts.apply(new Command.KvSet("only-here", bytes("x"), 0, Command.NO_CAS));
        int half = snapshot.length / 2;
        assertThat(parts.applyAt(30, new Command.RestoreStage("r1", 0, Arrays.copyOfRange(snapshot, 0, half)))
                .success()).isTrue();
        byte[] midway = parts.snapshot();
        assertThat(parts.applyAt(31, new Command.RestoreStage("r1", 1, Arrays.copyOfRange(snapshot, half,
                snapshot.length))).success()).isTrue();
        assertThat(parts.get("only-here")).as("nothing changes until the commit").isNotNull();
        Outcome committed = parts.applyAt(40, new Command.RestoreCommit("r1", 2, snapshot.length));

        assertThat(committed.success()).as(committed.error()).isTrue();
        assertThat(parts.snapshot()).isEqualTo(whole.snapshot());

        // A server that installs a snapshot taken half way through has the first part, and finishes alike.
        Store installed = new Store();
        installed.restoreSnapshot(new java.io.ByteArrayInputStream(midway));
        installed.apply(31, Fixtures.Harness.timeOf(31), new Command.RestoreStage("r1", 1,
                Arrays.copyOfRange(snapshot, half, snapshot.length)));
        installed.apply(40, Fixtures.Harness.timeOf(40), new Command.RestoreCommit("r1", 2, snapshot.length));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        installed.writeSnapshot(out);
        assertThat(out.toByteArray()).isEqualTo(whole.snapshot());
    }

    @Test
    void partsOutOfOrderOrOfAReplacedRestoreAreRefusedAndChangeNothing() throws IOException {
        byte[] snapshot = saved().snapshot();
        Fixtures.Harness h = new Fixtures.Harness();
        h.apply(new Command.KvSet("kept", bytes("x"), 0, Command.NO_CAS));
        h.apply(new Command.RestoreStage("r1", 0, Arrays.copyOfRange(snapshot, 0, 10)));
        assertThat(h.apply(new Command.RestoreStage("r1", 2, new byte[1])).error()).contains("out of order");
        h.apply(new Command.RestoreStage("r2", 0, snapshot));
        assertThat(h.apply(new Command.RestoreStage("r1", 1, new byte[1])).success()).as("r2 replaced r1")
                .isFalse();
        Outcome wrongSize = h.applyAt(40, new Command.RestoreCommit("r2", 1, snapshot.length + 1));
        assertThat(wrongSize.success()).isFalse();
        assertThat(wrongSize.error()).contains("not staged whole");
        assertThat(h.get("kept")).isNotNull();
        assertThat(h.applyAt(41, new Command.RestoreCommit("r2", 1, snapshot.length)).success())
                .as("a refused commit forgets the staged parts").isFalse();
    }

    @Test
    void aRestoreReplacesEveryTableAndKeepsTheSnapshotsIndexesBelowItsOwnEntry() throws IOException {
        byte[] snapshot = saved().snapshot();
        Fixtures.Harness target = new Fixtures.Harness();
        target.apply(new Command.KvSet("only-here", bytes("x"), 0, Command.NO_CAS));
        target.apply(new Command.RegisterNode(node("other")));

        Outcome outcome = target.applyAt(40, new Command.RestoreState(snapshot));

        assertThat(outcome.success()).as(outcome.error()).isTrue();
        assertThat(target.store.lastIndex()).isEqualTo(40);
        assertThat(target.get("only-here")).isNull();
        assertThat(target.store.node("other")).isNull();
        KvEntry restored = target.get("config/db");
        assertThat(text(restored.value())).isEqualTo("postgres");
        assertThat(restored.flags()).isEqualTo(7);
        assertThat(restored.modifyIndex()).isEqualTo(13);
        Fixtures.Harness empty = new Fixtures.Harness();
        empty.applyAt(40, new Command.RestoreState(snapshot));
        assertThat(target.snapshot()).as("nothing of the target's own state is left")
                .isEqualTo(empty.snapshot());
        assertThat(target.store.kvEventSince(41, e -> true)).isNull();
        assertThatThrownBy(() -> target.store.kvEventSince(13, e -> true)).as("a restore ends the KV event "
                + "history: an etcd watcher from before it must read afresh").isInstanceOf(HistoryClearedException.class);
    }

    @Test
    void theNextWriteAfterARestoreMovesTheIndexesOnFromTheEntry() {
        Fixtures.Harness target = new Fixtures.Harness();
        target.applyAt(40, new Command.RestoreState(saved().snapshot()));

        target.apply(new Command.KvSet("config/db", bytes("mysql"), 0, Command.NO_CAS));

        assertThat(target.get("config/db").modifyIndex()).isEqualTo(41);
        assertThat(target.store.kvGet("config/db").index()).isEqualTo(41);
    }

    @Test
    void aSnapshotTakenAtOrAfterTheEntrysIndexIsRefusedAndChangesNothing() {
        Fixtures.Harness target = new Fixtures.Harness();
        target.apply(new Command.KvSet("only-here", bytes("x"), 0, Command.NO_CAS));

        Outcome outcome = target.applyAt(13, new Command.RestoreState(saved().snapshot()));

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.error()).contains("taken at index 13");
        assertThat(target.get("only-here")).isNotNull();
        assertThat(target.store.lastIndex()).as("the entry is applied, as a refused write").isEqualTo(13);
    }

    @Test
    void bytesThatAreNotAWholeSnapshotAreRefusedAndChangeNothing() throws IOException {
        byte[] snapshot = saved().snapshot();
        Fixtures.Harness target = new Fixtures.Harness();
        target.apply(new Command.KvSet("only-here", bytes("x"), 0, Command.NO_CAS));

        Outcome cut = target.applyAt(50, new Command.RestoreState(Arrays.copyOf(snapshot, snapshot.length / 2)));
        Outcome garbage = target.applyAt(51, new Command.RestoreState(bytes("not a snapshot")));

        assertThat(cut.error()).startsWith("not a Beacon snapshot");
        assertThat(garbage.error()).startsWith("not a Beacon snapshot");
        assertThat(target.get("only-here")).isNotNull();
        assertThat(Store.snapshotIndex(snapshot)).isEqualTo(13);
        assertThatThrownBy(() -> Store.snapshotIndex(bytes("nope"))).isInstanceOf(IOException.class);
    }

    @Test
    void aRestoreWakesEveryParkedReaderAndKeepsThisClustersAlarmsEvenUnderNoSpace() {
        Fixtures.Harness target = new Fixtures.Harness();
        target.apply(new Command.RegisterNode(node("n9")));
        target.apply(new Command.RegisterService(service("n9", "s", "s")));
        target.apply(new Command.SetAlarm("here", Alarm.NOSPACE, true));
        AtomicBoolean woken = new AtomicBoolean();
        target.store.watchKey("config/db", target.store.lastIndex(), () -> woken.set(true));
        byte[] withAlarmOfM1 = GoldenBytesTest.storeForSnapshot().snapshot();

        Outcome outcome = target.applyAt(60, new Command.RestoreState(withAlarmOfM1));

        assertThat(outcome.success()).as("a restore replaces data, it does not add to it").isTrue();
        assertThat(woken).isTrue();
        assertThat(target.store.node("n9")).isNull();
        assertThat(target.store.usage().alarms()).extracting(MemberAlarm::member).containsExactly("here");
    }

    @Test
    void anAdvanceChangesNothingButTheIndex() {
        Fixtures.Harness h = saved();
        byte[] before = h.snapshot();

        Outcome outcome = h.apply(new Command.AdvanceIndex());

        assertThat(outcome.success()).isTrue();
        assertThat(h.store.lastIndex()).isEqualTo(14);
        byte[] after = h.snapshot();
        assertThat(Arrays.copyOfRange(after, 16, after.length)).isEqualTo(Arrays.copyOfRange(before, 16,
                before.length));
    }
}
