package dev.beacon.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static dev.beacon.state.Fixtures.check;
import static dev.beacon.state.Fixtures.del;
import static dev.beacon.state.Fixtures.node;
import static dev.beacon.state.Fixtures.service;
import static dev.beacon.state.Fixtures.session;
import static dev.beacon.state.Fixtures.set;
import static dev.beacon.state.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Snapshot write/restore, clear(), and corrupt snapshots. */
class SnapshotTest {

    private static Fixtures.Harness populated() {
        Fixtures.Harness h = new Fixtures.Harness();
        h.applyAt(1, new Command.RegisterNode(node("n1")));
        h.applyAt(2, new Command.RegisterService(service("n1", "web-1", "web")));
        h.applyAt(3, new Command.RegisterCheck(check("n1", "c1", "web-1")));
        h.applyAt(4, new Command.CreateSession(session("s1", "n1", SessionBehavior.DELETE)));
        h.applyAt(5, set("a", "1"));
        h.applyAt(6, set("p/b", "2"));
        h.applyAt(7, del("p/b"));
        h.applyAt(8, set("gone", "x"));
        h.applyAt(9, del("gone"));
        h.applyAt(10, new Command.ReapTombstones(8)); // reaps p/b (7), keeps gone (9)
        h.applyAt(11, new Command.KvSet("n", null, 5, Command.NO_CAS));
        return h;
    }

    private static Store restored(byte[] snapshot) throws IOException {
        Store s = new Store();
        s.restoreSnapshot(new ByteArrayInputStream(snapshot));
        return s;
    }

    @Test
    void emptyStoreSnapshotRoundTrips() throws IOException {
        Fixtures.Harness h = new Fixtures.Harness();
        byte[] snap = h.snapshot();

        Store s = restored(snap);

        assertThat(s.lastIndex()).isZero();
        assertThat(s.kvList("").value()).isEmpty();
        Fixtures.Harness again = new Fixtures.Harness();
        again.store.restoreSnapshot(new ByteArrayInputStream(snap));
        assertThat(again.snapshot()).isEqualTo(snap);
    }

    @Test
    void restoreReproducesStateAndIndexes() throws IOException {
        Fixtures.Harness h = populated();

        Store s = restored(h.snapshot());

        assertThat(s.lastIndex()).isEqualTo(11);
        assertThat(Fixtures.describe(s.kvList("").value())).isEqualTo(Fixtures.describe(h.store.kvList("").value()));
        assertThat(s.kvGet("gone").index()).isEqualTo(11);     // a missing key reports the KV table index
        assertThat(s.kvGet("never").index()).isEqualTo(11);
        for (String prefix : new String[] {"", "a", "g", "p", "p/", "never"}) {
            assertThat(s.kvList(prefix).index()).as(prefix).isEqualTo(h.store.kvList(prefix).index());
        }
        assertThat(s.kvGet("n").value().value()).isNull();
        assertThat(s.kvGet("n").value().flags()).isEqualTo(5);
        assertThat(s.nodes()).isEqualTo(h.store.nodes());
        assertThat(s.services()).isEqualTo(h.store.services());
        assertThat(s.checks()).isEqualTo(h.store.checks());
        assertThat(s.sessions()).isEqualTo(h.store.sessions());
        for (Table t : Table.values()) {
            assertThat(s.tableIndex(t)).as(t.name()).isEqualTo(h.store.tableIndex(t));
        }
    }

    @Test
    void restoreReplacesExistingState() throws IOException {
        Fixtures.Harness source = new Fixtures.Harness();
        source.applyAt(3, set("new", "v"));
        Fixtures.Harness target = populated();

        target.store.restoreSnapshot(new ByteArrayInputStream(source.snapshot()));

        assertThat(target.list("")).containsExactly("new");
        assertThat(target.store.nodes().value()).isEmpty();
        assertThat(target.store.services().value()).isEmpty();
        assertThat(target.store.checks().value()).isEmpty();
        assertThat(target.store.sessions().value()).isEmpty();
        assertThat(target.store.lastIndex()).isEqualTo(3);
        assertThat(target.keyIndex("p/b")).isEqualTo(3); // old tombstones are gone: the table index
        assertThat(target.snapshot()).isEqualTo(source.snapshot());
    }

    @Test
    void applyAfterRestoreMustContinueAboveRestoredIndex() throws IOException {
        Store s = restored(populated().snapshot());

        assertThatThrownBy(() -> s.apply(11, 0, set("x", "y"))).isInstanceOf(IllegalStateException.class);
        assertThat(s.apply(12, 0, set("x", "y")).success()).isTrue();
        assertThat(s.kvGet("x").value().createIndex()).isEqualTo(12);
    }

    @Test
    void restoredStoreBehavesLikeOriginalForFurtherCommands() throws IOException {
        Fixtures.Harness original = populated();
        Store copy = restored(original.snapshot());

        Command[] more = {
            Fixtures.setCas("a", "cas", 5),
            Fixtures.delCas("n", 10),
            new Command.DeregisterNode("n1"),
            set("p/c", "3"),
        };
        long at = 20;
        for (Command c : more) {
            Outcome a = original.store.apply(at, Fixtures.Harness.timeOf(at), c);
            Outcome b = copy.apply(at, Fixtures.Harness.timeOf(at), c);
            assertThat(b).isEqualTo(a);
            at++;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        copy.writeSnapshot(out);
        assertThat(out.toByteArray()).isEqualTo(original.snapshot());
        assertThat(text(copy.kvGet("a").value().value())).isEqualTo("cas");
    }

    @Test
    void clearEmptiesStoreAndResetsIndexes() {
        Fixtures.Harness h = populated();

        h.store.clear();

        assertThat(h.store.lastIndex()).isZero();
        assertThat(h.list("")).isEmpty();
        assertThat(h.keyIndex("gone")).isEqualTo(1);
        assertThat(h.prefixIndex("")).isEqualTo(1);
        assertThat(h.store.nodes().value()).isEmpty();
        assertThat(h.store.sessions().value()).isEmpty();
        for (Table t : Table.values()) {
            assertThat(h.store.tableIndex(t)).isEqualTo(1);
        }
        assertThat(h.snapshot()).isEqualTo(new Fixtures.Harness().snapshot());
        assertThat(h.store.apply(1, 0, set("k", "v")).success()).isTrue();
    }

    @Test
    void snapshotStartsWithMagicAndVersion() {
        byte[] snap = new Fixtures.Harness().snapshot();
        ByteBuffer b = ByteBuffer.wrap(snap);
        assertThat(b.getInt()).isEqualTo(0x42434e53);
        assertThat(b.getInt()).isEqualTo(9);
    }

    @Test
    void badMagicIsRejected() {
        byte[] snap = populated().snapshot();
        snap[0] = 'X';
        assertThatThrownBy(() -> restored(snap)).isInstanceOf(IOException.class);
    }

    @Test
    void unknownVersionIsRejected() {
        byte[] snap = populated().snapshot();
        snap[7] = 99;
        assertThatThrownBy(() -> restored(snap)).isInstanceOf(IOException.class).hasMessageContaining("version");
    }

    @Test
    void wrongTableCountIsRejected() {
        byte[] snap = populated().snapshot();
        snap[4 + 4 + 8 + 3] = (byte) (Table.values().length + 1);
        assertThatThrownBy(() -> restored(snap)).isInstanceOf(IOException.class).hasMessageContaining("tables");
    }

    @Test
    void emptyStreamIsRejected() {
        assertThatThrownBy(() -> restored(new byte[0])).isInstanceOf(IOException.class);
    }

    @Test
    void everyTruncationIsRejected() {
        byte[] snap = populated().snapshot();
        for (int len = 0; len < snap.length; len++) {
            byte[] cut = Arrays.copyOf(snap, len);
            assertThatThrownBy(() -> restored(cut)).as("cut at " + len + "/" + snap.length)
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void negativeCountIsRejected() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x42434e53);
        out.writeInt(9);
        out.writeLong(5);
        out.writeInt(Table.values().length);
        for (int i = 0; i < Table.values().length; i++) {
            out.writeLong(0);
        }
        out.writeInt(-1);   // kv count
        out.flush();
        assertThatThrownBy(() -> restored(bytes.toByteArray())).isInstanceOf(IOException.class)
                .hasMessageContaining("negative");
    }

    /**
     * The old state is dropped before a snapshot is read, so that the heap never holds both: a restore that fails
     * part way leaves an empty store, and wakes its watchers to read it. (A replica whose restore failed is wrong
     * whichever state it keeps; an empty one at index 0 is at least plainly so.)
     */
    @Test
    void failedRestoreLeavesAnEmptyStoreAndWakesWatchers() {
        Fixtures.Harness h = populated();
        byte[] before = h.snapshot();
        AtomicInteger fired = new AtomicInteger();
        h.store.watchKey("a", 5, fired::incrementAndGet);
        byte[] corrupt = Arrays.copyOf(before, before.length - 1);

        assertThatThrownBy(() -> h.store.restoreSnapshot(new ByteArrayInputStream(corrupt)))
                .isInstanceOf(IOException.class);

        assertThat(h.snapshot()).isEqualTo(new Fixtures.Harness().snapshot());
        assertThat(fired.get()).isEqualTo(1);
        assertThat(h.store.watchCount()).isZero();
    }

    @Test
    void writeSnapshotDoesNotCloseTheStream() throws IOException {
        Fixtures.Harness h = populated();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.store.writeSnapshot(out);
        int first = out.size();
        h.store.writeSnapshot(out);
        assertThat(out.size()).isEqualTo(2 * first);
    }
}
