package dev.beacon.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static dev.beacon.state.Fixtures.bytes;
import static dev.beacon.state.Fixtures.node;
import static dev.beacon.state.Fixtures.session;
import static dev.beacon.state.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

/** Session create/destroy, and lock release/delete on destroy (state with locks is built via a snapshot). */
class SessionStoreTest {
    private final Fixtures.Harness h = new Fixtures.Harness();

    @Test
    void createTakesIndexesAndRenewedAtFromTheEntry() {
        h.applyAt(1, new Command.RegisterNode(node("n1")));
        Session incoming = new Session("s1", "my-lock", "n1", 15_000, SessionBehavior.DELETE, 30_000,
                List.of(), List.of(), 111, 222, 333);

        Outcome outcome = h.store.apply(7, 123_456_789L, new Command.CreateSession(incoming));

        assertThat(outcome).isEqualTo(new Outcome(7, true, null));
        assertThat(h.store.session("s1")).isEqualTo(new Session("s1", "my-lock", "n1", 15_000,
                SessionBehavior.DELETE, 30_000, List.of(), List.of(), 7, 7, 123_456_789L));
        assertThat(h.store.sessions().index()).isEqualTo(7);
    }

    @Test
    void sessionsAreListedById() {
        h.apply(new Command.RegisterNode(node("n1")));
        h.apply(new Command.CreateSession(session("b", "n1", SessionBehavior.RELEASE)));
        h.apply(new Command.CreateSession(session("a", "n1", SessionBehavior.RELEASE)));
        h.apply(new Command.CreateSession(session("c", "n1", SessionBehavior.RELEASE)));

        assertThat(h.store.sessions().value()).extracting(Session::id).containsExactly("a", "b", "c");
    }

    @Test
    void duplicateIdIsRefusedAndOriginalKept() {
        h.applyAt(1, new Command.RegisterNode(node("n1")));
        h.applyAt(2, new Command.CreateSession(session("s1", "n1", SessionBehavior.RELEASE)));

        Outcome outcome = h.applyAt(5, new Command.CreateSession(session("s1", "n1", SessionBehavior.DELETE)));

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.error()).isNotBlank().contains("s1");
        Session kept = h.store.session("s1");
        assertThat(kept.behavior()).isEqualTo(SessionBehavior.RELEASE);
        assertThat(kept.createIndex()).isEqualTo(2);
        assertThat(h.store.sessions().index()).isEqualTo(2);
    }

    @Test
    void unknownNodeIsRefusedWithMissingNodeRegistration() {
        Outcome outcome = h.applyAt(3, new Command.CreateSession(session("s1", "ghost", SessionBehavior.RELEASE)));

        assertThat(outcome).isEqualTo(new Outcome(3, false, "Missing node registration"));
        assertThat(h.store.session("s1")).isNull();
        assertThat(h.store.sessions().value()).isEmpty();
        assertThat(h.store.tableIndex(Table.SESSIONS)).isEqualTo(1);
    }

    @Test
    void destroyRemovesSessionAndBumpsSessionsIndex() {
        h.applyAt(1, new Command.RegisterNode(node("n1")));
        h.applyAt(2, new Command.CreateSession(session("s1", "n1", SessionBehavior.RELEASE)));
        h.applyAt(3, new Command.CreateSession(session("s2", "n1", SessionBehavior.RELEASE)));

        Outcome outcome = h.applyAt(9, new Command.DestroySession("s1"));

        assertThat(outcome).isEqualTo(new Outcome(9, true, null));
        assertThat(h.store.session("s1")).isNull();
        assertThat(h.store.sessions().value()).extracting(Session::id).containsExactly("s2");
        assertThat(h.store.sessions().index()).isEqualTo(9);
        assertThat(h.store.tableIndex(Table.KV)).isEqualTo(1);
    }

    @Test
    void destroyOfUnknownIdIsNoOpSuccess() {
        h.applyAt(1, new Command.RegisterNode(node("n1")));
        h.applyAt(2, new Command.CreateSession(session("s1", "n1", SessionBehavior.RELEASE)));

        Outcome outcome = h.applyAt(4, new Command.DestroySession("nope"));

        assertThat(outcome).isEqualTo(new Outcome(4, true, null));
        assertThat(h.store.sessions().value()).hasSize(1);
        assertThat(h.store.sessions().index()).isEqualTo(2);
    }

    @Test
    void idCanBeReusedAfterDestroy() {
        h.applyAt(1, new Command.RegisterNode(node("n1")));
        h.applyAt(2, new Command.CreateSession(session("s1", "n1", SessionBehavior.RELEASE)));
        h.applyAt(3, new Command.DestroySession("s1"));

        assertThat(h.applyAt(4, new Command.CreateSession(session("s1", "n1", SessionBehavior.DELETE))).success())
                .isTrue();
        assertThat(h.store.session("s1").createIndex()).isEqualTo(4);
    }

    // ---- locks: no acquire command exists yet, so a store holding locks is restored from a hand-made snapshot ----

    /** n1 with sessions "rel" (RELEASE) and "del" (DELETE); "other" on n2; keys locked by each; "free" unlocked. */
    private Store storeWithLocks() throws IOException {
        StoreTables data = new StoreTables();
        List.of(new KvEntry("lock/rel", bytes("a"), 3, 10, 11, 2, "rel"),
                new KvEntry("lock/del", bytes("b"), 4, 12, 13, 1, "del"),
                new KvEntry("lock/other", bytes("c"), 5, 14, 15, 1, "other"),
                new KvEntry("free", bytes("d"), 6, 16, 16, 0, null)).forEach(data.kv()::restoreEntry);
        data.catalog().restore(List.of(node("n1").withIndexes(1, 1), node("n2").withIndexes(2, 2)), List.of(),
                List.of());
        data.sessions().restore(List.of(
                new Session("rel", "", "n1", 0, SessionBehavior.RELEASE, 0, List.of(), List.of(), 5, 5, 0),
                new Session("del", "", "n1", 0, SessionBehavior.DELETE, 0, List.of(), List.of(), 6, 6, 0),
                new Session("other", "", "n2", 0, SessionBehavior.RELEASE, 0, List.of(), List.of(), 7, 7, 0)));
        Map<Table, Long> tables = new EnumMap<>(Table.class);
        tables.put(Table.NODES, 2L);
        tables.put(Table.SERVICES, 0L);
        tables.put(Table.CHECKS, 0L);
        tables.put(Table.KV, 16L);
        tables.put(Table.SESSIONS, 7L);
        tables.put(Table.EVENTS, 0L);
        Indexes indexes = new Indexes();
        indexes.restore(tables, Map.of(), Map.of("n1", 1L, "n2", 2L));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (StoreImage image = SnapshotCodec.capture(20, 0, indexes, data, new KvHistory())) {
            image.writeTo(out);
        }
        Store store = new Store();
        store.restoreSnapshot(new ByteArrayInputStream(out.toByteArray()));
        return store;
    }

    @Test
    void handMadeLockSnapshotRestoresAsBuilt() throws IOException {
        Store store = storeWithLocks();
        assertThat(store.lastIndex()).isEqualTo(20);
        assertThat(store.kvGet("lock/rel").value().session()).isEqualTo("rel");
        assertThat(store.sessions().value()).hasSize(3);
    }

    @Test
    void destroyWithReleaseClearsSessionKeepsValueAndLockIndex() throws IOException {
        Store store = storeWithLocks();

        store.apply(30, 0, new Command.DestroySession("rel"));

        KvEntry e = store.kvGet("lock/rel").value();
        assertThat(e.session()).isNull();
        assertThat(text(e.value())).isEqualTo("a");
        assertThat(e.flags()).isEqualTo(3);
        assertThat(e.createIndex()).isEqualTo(10);
        assertThat(e.lockIndex()).isEqualTo(2);
        assertThat(e.modifyIndex()).isEqualTo(30);
        assertThat(store.tableIndex(Table.KV)).isEqualTo(30);
        assertThat(store.tableIndex(Table.SESSIONS)).isEqualTo(30);
        assertThat(store.kvGet("lock/other").value().session()).isEqualTo("other");
        assertThat(store.kvGet("lock/other").value().modifyIndex()).isEqualTo(15);
        assertThat(store.kvGet("free").value().modifyIndex()).isEqualTo(16);
    }

    @Test
    void destroyWithDeleteRemovesHeldKeysLeavingTombstones() throws IOException {
        Store store = storeWithLocks();

        store.apply(30, 0, new Command.DestroySession("del"));

        assertThat(store.kvGet("lock/del").value()).isNull();
        assertThat(store.kvGet("lock/del").index()).isEqualTo(30);
        assertThat(Fixtures.keys(store.kvList("lock/").value())).containsExactly("lock/other", "lock/rel");
        assertThat(store.kvList("lock/").index()).isEqualTo(30);
    }

    @Test
    void destroyWakesWatchersOfHeldKeysOnly() throws IOException {
        Store store = storeWithLocks();
        AtomicInteger held = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        store.watchKey("lock/rel", 11, held::incrementAndGet);
        store.watchKey("lock/other", 15, other::incrementAndGet);

        store.apply(30, 0, new Command.DestroySession("rel"));

        assertThat(held.get()).isEqualTo(1);
        assertThat(other.get()).isZero();
    }

    @Test
    void deregisterNodeReleasesAndDeletesLocksOfItsSessions() throws IOException {
        Store store = storeWithLocks();

        store.apply(30, 0, new Command.DeregisterNode("n1"));

        assertThat(store.kvGet("lock/rel").value().session()).isNull();
        assertThat(store.kvGet("lock/del").value()).isNull();
        assertThat(store.kvGet("lock/other").value().session()).isEqualTo("other");
        List<String> ids = new ArrayList<>();
        store.sessions().value().forEach(s -> ids.add(s.id()));
        assertThat(ids).containsExactly("other");
    }

    @Test
    void plainSetOnLockedKeyKeepsTheLock() throws IOException {
        Store store = storeWithLocks();

        store.apply(30, 0, Fixtures.set("lock/rel", "new"));

        KvEntry e = store.kvGet("lock/rel").value();
        assertThat(text(e.value())).isEqualTo("new");
        assertThat(e.session()).isEqualTo("rel");
        assertThat(e.lockIndex()).isEqualTo(2);
        assertThat(e.createIndex()).isEqualTo(10);
    }
}
