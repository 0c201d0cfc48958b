package dev.beacon.state;

import static dev.beacon.state.Fixtures.bytes;
import static dev.beacon.state.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;

import org.junit.jupiter.api.Test;

/** etcd v2's key tree over the KV table: writes, conditions, errors, times to live and the event history. */
class EtcdTreeTest {
    private final Fixtures.Harness h = new Fixtures.Harness();

    private static Command.KvPut set(String path, String value) {
        return new Command.KvPut(path, bytes(value), false, 0, false, null, null, 0, false);
    }

    private static Command.KvPut put(String path, String value, Boolean prevExist, String prevValue, long prevIndex) {
        return new Command.KvPut(path, bytes(value), false, 0, false, prevExist,
                prevValue == null ? null : bytes(prevValue), prevIndex, false);
    }

    private static Command.KvPut mkdir(String path) {
        return new Command.KvPut(path, null, true, 0, false, Boolean.FALSE, null, 0, false);
    }

    private static Command.KvRemove rm(String path, boolean dir, boolean recursive) {
        return new Command.KvRemove(path, dir, recursive, null, 0);
    }

    private static EtcdError error(Outcome outcome) {
        assertThat(outcome.success()).as("refused").isFalse();
        return EtcdError.decode(outcome.error());
    }

    private static KvEvent event(Outcome outcome) {
        assertThat(outcome.success()).as("applied: %s", outcome.error()).isTrue();
        return (KvEvent) outcome.results().get(0);
    }

    @Test
    void aSetWritesTheConsulKeyAndAnswersWithItsEvent() {
        KvEvent first = event(h.apply(set("app/config", "v1")));
        assertThat(first.action()).isEqualTo("set");
        assertThat(first.prevNode()).isNull();
        assertThat(text(h.get("app/config").value())).isEqualTo("v1");

        KvEvent second = event(h.apply(set("app/config", "v2")));
        assertThat(second.node().createIndex()).as("a set replaces the key, as etcd's does").isEqualTo(2);
        assertThat(second.node().modifyIndex()).isEqualTo(2);
        assertThat(text(second.prevNode().value())).isEqualTo("v1");
        KvEvent updated = event(h.apply(put("app/config", "v3", Boolean.TRUE, null, 0)));
        assertThat(updated.node().createIndex()).as("an update keeps it").isEqualTo(2);
    }

    @Test
    void aKeyThatIsNotThereIsNamedWhereEtcdsWalkStops() {
        h.apply(set("file", "1"));
        h.apply(set("dir/a", "1"));
        assertThat(error(h.apply(put("no/such/key", "x", Boolean.TRUE, null, 0))))
                .isEqualTo(new EtcdError(EtcdError.KEY_NOT_FOUND, "/no"));
        assertThat(error(h.apply(put("dir/b/c", "x", null, "old", 0))))
                .isEqualTo(new EtcdError(EtcdError.KEY_NOT_FOUND, "/dir/b"));
        assertThat(error(h.apply(rm("dir/b", false, false))))
                .isEqualTo(new EtcdError(EtcdError.KEY_NOT_FOUND, "/dir/b"));
        assertThat(error(h.apply(rm("file/below", false, false))))
                .isEqualTo(new EtcdError(EtcdError.NOT_DIR, "/file"));
        assertThat(h.store.query(new Query.KvSubtree("file/below/deeper")).value().absence())
                .isEqualTo(new KvSubtree.Absence("file", true));
        assertThat(h.store.query(new Query.KvSubtree("dir/b/c")).value().absence())
                .isEqualTo(new KvSubtree.Absence("dir/b", false));
        assertThat(h.store.query(new Query.KvSubtree("dir")).value().absence()).isNull();
        assertThat(h.store.query(new Query.KvSubtree("file")).value().absence()).isNull();
    }

    @Test
    void createAndUpdateFollowPrevExist() {
        assertThat(event(h.apply(put("k", "a", Boolean.FALSE, null, 0))).action()).isEqualTo("create");
        assertThat(error(h.apply(put("k", "b", Boolean.FALSE, null, 0))))
                .isEqualTo(new EtcdError(EtcdError.NODE_EXIST, "/k"));
        assertThat(event(h.apply(put("k", "c", Boolean.TRUE, null, 0))).action()).isEqualTo("update");
        assertThat(error(h.apply(put("missing", "x", Boolean.TRUE, null, 0))))
                .isEqualTo(new EtcdError(EtcdError.KEY_NOT_FOUND, "/missing"));
        assertThat(text(h.get("k").value())).isEqualTo("c");
    }

    @Test
    void compareAndSwapComparesValueAndIndexAndNamesWhatDiffered() {
        h.apply(set("k", "one"));
        assertThat(error(h.apply(put("k", "two", null, "nope", 0))))
                .isEqualTo(new EtcdError(EtcdError.TEST_FAILED, "[nope != one]"));
        assertThat(error(h.apply(put("k", "two", null, null, 7))))
                .isEqualTo(new EtcdError(EtcdError.TEST_FAILED, "[7 != 1]"));
        assertThat(error(h.apply(put("k", "two", null, "nope", 7))))
                .isEqualTo(new EtcdError(EtcdError.TEST_FAILED, "[nope != one] [7 != 1]"));
        KvEvent swapped = event(h.apply(put("k", "two", null, "one", 1)));
        assertThat(swapped.action()).isEqualTo("compareAndSwap");
        assertThat(text(swapped.prevNode().value())).isEqualTo("one");
        assertThat(error(h.apply(put("absent", "x", null, "one", 0))).code()).isEqualTo(EtcdError.KEY_NOT_FOUND);
    }

    @Test
    void filesAndDirectoriesDoNotMix() {
        h.apply(set("a/b/c", "deep"));
        assertThat(error(h.apply(set("a/b", "v")))).as("a value on an implicit directory")
                .isEqualTo(new EtcdError(EtcdError.NOT_FILE, "/a/b"));
        assertThat(error(h.apply(set("a/b/c/d", "v")))).as("a key under a file")
                .isEqualTo(new EtcdError(EtcdError.NOT_DIR, "/a/b/c"));
        assertThat(error(h.apply(mkdir("a")))).isEqualTo(new EtcdError(EtcdError.NODE_EXIST, "/a"));
        assertThat(error(h.apply(set("", "v")))).isEqualTo(new EtcdError(EtcdError.ROOT_READ_ONLY, "/"));

        KvEvent made = event(h.apply(mkdir("empty")));
        assertThat(made.key()).as("a directory is Consul's folder key").isEqualTo("empty/");
        assertThat(h.get("empty/").value()).isNull();
        assertThat(error(h.apply(set("empty", "v")))).isEqualTo(new EtcdError(EtcdError.NOT_FILE, "/empty"));
        assertThat(event(h.apply(set("empty/inside", "v"))).key()).isEqualTo("empty/inside");
    }

    @Test
    void deletingADirectoryNeedsDirAndRecursiveIfItHoldsKeys() {
        h.apply(set("d/x", "1"));
        h.apply(set("d/y/z", "2"));
        assertThat(error(h.apply(rm("d", false, false)))).isEqualTo(new EtcdError(EtcdError.NOT_FILE, "/d"));
        assertThat(error(h.apply(rm("d", true, false)))).isEqualTo(new EtcdError(EtcdError.DIR_NOT_EMPTY, "/d"));
        assertThat(error(h.apply(rm("nothing", false, false))).code()).isEqualTo(EtcdError.KEY_NOT_FOUND);

        KvEvent removed = event(h.apply(rm("d", true, true)));
        assertThat(removed.action()).isEqualTo("delete");
        assertThat(removed.key()).as("one event for the whole directory").isEqualTo("d/");
        assertThat(removed.prevNode()).as("the directory before, as old as its oldest key").isEqualTo(
                new KvEntry("d/", null, 0, 1, 1, 0, null));
        assertThat(h.list("d/")).isEmpty();

        h.apply(mkdir("e"));
        assertThat(event(h.apply(rm("e", true, false))).key()).as("an empty directory goes with dir alone")
                .isEqualTo("e/");
    }

    @Test
    void compareAndDeleteRefusesAMismatchAndKeepsTheKey() {
        h.apply(set("k", "v"));
        assertThat(error(h.apply(new Command.KvRemove("k", false, false, bytes("other"), 0))).code())
                .isEqualTo(EtcdError.TEST_FAILED);
        assertThat(h.get("k")).isNotNull();
        KvEvent deleted = event(h.apply(new Command.KvRemove("k", false, false, bytes("v"), 1)));
        assertThat(deleted.action()).isEqualTo("compareAndDelete");
        assertThat(deleted.node().value()).isNull();
        assertThat(text(deleted.prevNode().value())).isEqualTo("v");
    }

    @Test
    void inOrderKeysAreNamedAfterTheirIndex() {
        h.apply(set("other", "x"));
        KvEvent queued = event(h.apply(new Command.KvPut("queue", bytes("job"), false, 0, false, null, null, 0,
                true)));
        assertThat(queued.key()).isEqualTo("queue/00000000000000000002");
        assertThat(queued.action()).isEqualTo("create");
    }

    @Test
    void aKeyExpiresOnlyOnceItsTimeHasPassedAndOnlyIfNotWrittenSince() {
        Outcome written = h.apply(new Command.KvPut("ttl", bytes("v"), false, 5_000, false, null, null, 0, false));
        long expiry = event(written).expiry();
        assertThat(expiry).isEqualTo(Fixtures.Harness.timeOf(1) + 5_000);
        assertThat(h.store.kvExpiredAt(expiry - 1)).isEmpty();
        assertThat(h.store.kvExpiredAt(expiry)).containsEntry("ttl", expiry);

        assertThat(h.apply(new Command.KvExpire("ttl", expiry)).success()).as("entry time 2 s: not yet").isFalse();
        assertThat(h.get("ttl")).isNotNull();
        h.applyAt(10, new Command.KvExpire("ttl", expiry - 1));
        assertThat(h.get("ttl")).as("another expiry than the key's").isNotNull();
        assertThat(h.applyAt(11, new Command.KvExpire("ttl", expiry)).success()).isTrue();
        assertThat(h.get("ttl")).isNull();
        KvEvent expired = h.store.kvEventSince(11, e -> true);
        assertThat(expired.action()).isEqualTo("expire");
        assertThat(expired.prevExpiry()).isEqualTo(expiry);
    }

    @Test
    void aWriteWithoutATimeToLiveMakesTheKeyPermanentAndAConsulPutToo() {
        h.apply(new Command.KvPut("a", bytes("v"), false, 5_000, false, null, null, 0, false));
        h.apply(new Command.KvPut("b", bytes("v"), false, 5_000, false, null, null, 0, false));
        h.apply(set("a", "again"));
        h.apply(new Command.KvSet("b", bytes("consul"), 0, Command.NO_CAS));
        assertThat(h.store.kvExpiredAt(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void aRefreshRestartsTheTimeToLiveAndKeepsTheValueWithoutAWatcherSeeingIt() {
        h.apply(new Command.KvPut("t", bytes("keep"), false, 1_000, false, null, null, 0, false));
        KvEvent refreshed = event(h.apply(new Command.KvPut("t", null, false, 60_000, true, null, null, 0, false)));
        assertThat(refreshed.expiry()).isEqualTo(Fixtures.Harness.timeOf(2) + 60_000);
        assertThat(refreshed.action()).as("a set, as etcd names a refresh without prevExist").isEqualTo("set");
        assertThat(text(h.get("t").value())).isEqualTo("keep");
        assertThat(h.store.kvEventSince(2, e -> true)).as("no watcher is told of a refresh").isNull();
        KvEvent updated = event(h.apply(new Command.KvPut("t", null, false, 60_000, true, Boolean.TRUE, null, 0,
                false)));
        assertThat(updated.action()).isEqualTo("update");
        assertThat(h.store.kvEventSince(2, e -> true)).isNull();
        h.apply(set("t", "changed"));
        assertThat(h.store.kvEventSince(2, e -> true).index()).as("the next real change is").isEqualTo(4);
        assertThat(error(h.apply(new Command.KvPut("none", null, false, 1_000, true, null, null, 0, false))).code())
                .isEqualTo(EtcdError.KEY_NOT_FOUND);
    }

    @Test
    void anExpiredDirectoryTakesEverythingUnderIt() {
        Outcome made = h.apply(new Command.KvPut("tmp", null, true, 1_000, false, null, null, 0, false));
        h.apply(set("tmp/a", "1"));
        long expiry = event(made).expiry();
        h.applyAt(100, new Command.KvExpire("tmp/", expiry));
        assertThat(h.list("tmp/")).isEmpty();
        assertThat(h.store.expiredKeys()).as("one expiry, as etcd's expireCount counts it").isEqualTo(1);
        h.applyAt(101, new Command.KvExpire("tmp/", expiry));
        assertThat(h.store.expiredKeys()).as("an expiry refused changes nothing").isEqualTo(1);
    }

    @Test
    void theHistoryFindsTheFirstMatchingEventAndRefusesWhatItDropped() {
        h.apply(set("a", "1"));
        h.apply(new Command.KvSet("b", bytes("2"), 0, Command.NO_CAS));
        h.apply(new Command.KvDelete("a", false, Command.NO_CAS));
        assertThat(h.store.kvEventSince(1, e -> e.key().equals("b")).index()).isEqualTo(2);
        assertThat(h.store.kvEventSince(2, e -> e.key().equals("a")).action()).isEqualTo("delete");
        assertThat(h.store.kvEventSince(4, e -> true)).as("nothing yet").isNull();

        for (int i = 0; i < KvHistory.MAX_EVENTS; i++) {
            h.apply(set("many", Integer.toString(i)));
        }
        assertThatThrownBy(() -> h.store.kvEventSince(3, e -> true)).isInstanceOf(HistoryClearedException.class)
                .hasMessage("the requested history has been cleared [4/3]");
        assertThat(h.store.kvEventSince(4, e -> true).index()).isEqualTo(4);
    }

    @Test
    void aSnapshotKeepsTimesToLiveAndTheHistory() throws Exception {
        Outcome written = h.apply(new Command.KvPut("ttl", bytes("v"), false, 5_000, false, null, null, 0, false));
        h.apply(set("other", "x"));
        ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
        h.store.writeSnapshot(snapshot);

        Store restored = new Store();
        restored.restoreSnapshot(new ByteArrayInputStream(snapshot.toByteArray()));
        assertThat(restored.kvExpiredAt(Long.MAX_VALUE)).containsEntry("ttl", event(written).expiry());
        assertThat(restored.kvEventSince(1, e -> true).key()).isEqualTo("ttl");
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        restored.writeSnapshot(again);
        assertThat(again.toByteArray()).isEqualTo(snapshot.toByteArray());
    }

    @Test
    void aSubtreeReadsTheFileAndEverythingBelowWithTheirTimesToLive() {
        h.apply(set("s", "file"));
        h.apply(new Command.KvPut("s2/a", bytes("1"), false, 9_000, false, null, null, 0, false));
        h.apply(set("s2/b/c", "2"));
        KvSubtree tree = h.store.query(new Query.KvSubtree("s2")).value();
        assertThat(tree.self()).isNull();
        assertThat(tree.under()).extracting(KvEntry::key).containsExactly("s2/a", "s2/b/c");
        assertThat(tree.expiry("s2/a")).isEqualTo(Fixtures.Harness.timeOf(2) + 9_000);
        assertThat(h.store.query(new Query.KvSubtree("s")).value().self().key()).isEqualTo("s");
        assertThat(h.store.query(new Query.KvSubtree("")).value().under()).hasSize(3);
        assertThat(List.of(h.store.query(new Query.KvSubtree("s2")).index())).containsExactly(3L);
    }

    @Test
    void aFileHidesTheDirectoryOfItsNameAndKeepsItsTimeToLive() {
        h.apply(new Command.KvPut("f", bytes("file"), false, 5_000, false, null, null, 0, false));
        // Consul writes may make a file and a directory of one name; etcd writes cannot.
        h.apply(new Command.KvSet("f/below", bytes("x"), 0, Command.NO_CAS));
        KvSubtree tree = h.store.query(new Query.KvSubtree("f")).value();
        assertThat(tree.self().key()).isEqualTo("f");
        assertThat(tree.under()).isEmpty();
        assertThat(tree.expiry("f")).isEqualTo(Fixtures.Harness.timeOf(1) + 5_000);
        assertThat(h.store.query(new Query.KvSubtree("")).value().under()).extracting(KvEntry::key)
                .containsExactly("f", "f/below");
    }

    @Test
    void aConsulPutWithATimeToLiveExpiresAsAnEtcdKeyDoes() {
        KvEvent set = event(h.apply(new Command.KvPut("probe", bytes("x"), false, 0, false, null, null, 0, false)));
        assertThat(set.expiry()).isZero();
        Outcome leased = h.apply(new Command.KvSetExpiring("lease", bytes("me"), 7, Command.NO_CAS, 10_000));
        assertThat(leased.success()).isTrue();
        long expiry = Fixtures.Harness.timeOf(2) + 10_000;
        assertThat(h.store.kvExpiredAt(expiry)).containsEntry("lease", expiry);
        assertThat(h.get("lease").flags()).isEqualTo(7);
        assertThat(h.apply(new Command.KvSetExpiring("lease", bytes("other"), 0, 1, 10_000)).success())
                .as("cas as a plain put's").isFalse();
        h.applyAt(20, new Command.KvExpire("lease", expiry));
        assertThat(h.get("lease")).isNull();
    }
}
