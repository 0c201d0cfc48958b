package dev.beacon.state;

import org.junit.jupiter.api.Test;

import static dev.beacon.state.Fixtures.bytes;
import static dev.beacon.state.Fixtures.del;
import static dev.beacon.state.Fixtures.delCas;
import static dev.beacon.state.Fixtures.delTree;
import static dev.beacon.state.Fixtures.set;
import static dev.beacon.state.Fixtures.setCas;
import static dev.beacon.state.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

/** KV writes and reads: set/get, CAS, delete, recursive delete, listing. */
class KvStoreTest {
    private final Fixtures.Harness h = new Fixtures.Harness();

    @Test
    void setThenGetReturnsValueAndIndexes() {
        Outcome outcome = h.applyAt(5, set("app/key", "hello"));

        assertThat(outcome).isEqualTo(new Outcome(5, true, null));
        Indexed<KvEntry> got = h.store.kvGet("app/key");
        assertThat(got.index()).isEqualTo(5);
        KvEntry e = got.value();
        assertThat(e.key()).isEqualTo("app/key");
        assertThat(text(e.value())).isEqualTo("hello");
        assertThat(e.createIndex()).isEqualTo(5);
        assertThat(e.modifyIndex()).isEqualTo(5);
        assertThat(e.lockIndex()).isZero();
        assertThat(e.session()).isNull();
        assertThat(e.flags()).isZero();
    }

    @Test
    void updateKeepsCreateIndexAndMovesModifyIndex() {
        h.applyAt(3, set("k", "v1"));
        h.applyAt(9, set("k", "v2"));

        KvEntry e = h.get("k");
        assertThat(text(e.value())).isEqualTo("v2");
        assertThat(e.createIndex()).isEqualTo(3);
        assertThat(e.modifyIndex()).isEqualTo(9);
        assertThat(h.keyIndex("k")).isEqualTo(9);
    }

    @Test
    void aSetIfChangedThatChangesNothingKeepsTheModifyIndexAndMovesNoIndex() {
        h.applyAt(3, new Command.KvSetIfChanged("k", bytes("v"), 7, Command.NO_CAS));
        long tableIndex = h.tableIndexes().get(Table.KV);

        assertThat(h.applyAt(9, new Command.KvSetIfChanged("k", bytes("v"), 7, Command.NO_CAS)).success()).isTrue();
        assertThat(h.get("k").modifyIndex()).isEqualTo(3);
        assertThat(h.keyIndex("k")).isEqualTo(3);
        assertThat(h.tableIndexes().get(Table.KV)).isEqualTo(tableIndex);
        // A matching cas succeeds the same way, as in Consul.
        assertThat(h.applyAt(10, new Command.KvSetIfChanged("k", bytes("v"), 7, 3)).success()).isTrue();
        assertThat(h.get("k").modifyIndex()).isEqualTo(3);
        assertThat(h.applyAt(11, new Command.KvSetIfChanged("k", bytes("v"), 7, 9)).success()).isFalse();
    }

    @Test
    void aSetIfChangedWritesAnyChangeOfValueOrFlags() {
        h.applyAt(3, new Command.KvSetIfChanged("k", bytes("v"), 0, Command.NO_CAS));

        h.applyAt(5, new Command.KvSetIfChanged("k", bytes("w"), 0, Command.NO_CAS));
        assertThat(h.get("k").modifyIndex()).isEqualTo(5);
        h.applyAt(6, new Command.KvSetIfChanged("k", bytes("w"), 1, Command.NO_CAS));
        assertThat(h.get("k").modifyIndex()).isEqualTo(6);
        h.applyAt(7, new Command.KvSetIfChanged("k", new byte[0], 1, Command.NO_CAS));
        assertThat(h.get("k").modifyIndex()).isEqualTo(7);
        h.applyAt(8, new Command.KvSetIfChanged("k", null, 1, Command.NO_CAS));
        assertThat(h.get("k").modifyIndex()).isEqualTo(8);
        h.applyAt(9, new Command.KvSetIfChanged("k", null, 1, Command.NO_CAS));
        assertThat(h.get("k").modifyIndex()).isEqualTo(8);
    }

    @Test
    void aSetIfChangedClearsATimeToLiveAsAWrite() {
        h.applyAt(3, new Command.KvSetExpiring("k", bytes("v"), 0, Command.NO_CAS, 30_000));

        h.applyAt(4, new Command.KvSetIfChanged("k", bytes("v"), 0, Command.NO_CAS));
        assertThat(h.get("k").modifyIndex()).isEqualTo(4);
        assertThat(h.store.kvExpiredAt(Long.MAX_VALUE)).doesNotContainKey("k");
    }

    @Test
    void aPlainSetStillMovesTheModifyIndexSoThatOldLogsReplayAsBefore() {
        h.applyAt(3, set("k", "v"));
        h.applyAt(9, set("k", "v"));

        assertThat(h.get("k").modifyIndex()).isEqualTo(9);
    }

    @Test
    void flagsAreStoredAndReplacedOnUpdate() {
        h.apply(new Command.KvSet("k", bytes("v"), 42, Command.NO_CAS));
        assertThat(h.get("k").flags()).isEqualTo(42);

        // uint64 max travels as -1L
        h.apply(new Command.KvSet("k", bytes("v"), -1L, Command.NO_CAS));
        assertThat(h.get("k").flags()).isEqualTo(-1L);
    }

    @Test
    void nullValueIsStoredAsNull() {
        h.apply(new Command.KvSet("k", null, 0, Command.NO_CAS));

        KvEntry e = h.get("k");
        assertThat(e).isNotNull();
        assertThat(e.value()).isNull();
        assertThat(h.list("")).containsExactly("k");
    }

    @Test
    void emptyValueIsStoredAsEmptyNotNull() {
        h.apply(new Command.KvSet("k", new byte[0], 0, Command.NO_CAS));

        assertThat(h.get("k").value()).isNotNull().isEmpty();
    }

    @Test
    void casZeroCreatesAbsentKey() {
        Outcome outcome = h.applyAt(4, setCas("k", "v", 0));

        assertThat(outcome.success()).isTrue();
        assertThat(text(h.get("k").value())).isEqualTo("v");
        assertThat(h.get("k").createIndex()).isEqualTo(4);
    }

    @Test
    void casZeroIsRefusedWhenKeyExistsAndStateIsUntouched() {
        h.applyAt(4, set("k", "original"));

        Outcome outcome = h.applyAt(6, setCas("k", "new", 0));

        assertThat(outcome).isEqualTo(new Outcome(6, false, null));
        assertThat(text(h.get("k").value())).isEqualTo("original");
        assertThat(h.get("k").modifyIndex()).isEqualTo(4);
        assertThat(h.store.tableIndex(Table.KV)).isEqualTo(4);
        assertThat(h.prefixIndex("")).isEqualTo(4);
    }

    @Test
    void casZeroRecreatesDeletedKey() {
        h.applyAt(2, set("k", "v"));
        h.applyAt(3, del("k"));

        assertThat(h.applyAt(4, setCas("k", "again", 0)).success()).isTrue();
        assertThat(h.get("k").createIndex()).isEqualTo(4);
    }

    @Test
    void casMatchingModifyIndexSucceeds() {
        h.applyAt(3, set("k", "v1"));
        h.applyAt(7, set("k", "v2"));

        Outcome outcome = h.applyAt(8, setCas("k", "v3", 7));

        assertThat(outcome.success()).isTrue();
        assertThat(text(h.get("k").value())).isEqualTo("v3");
        assertThat(h.get("k").modifyIndex()).isEqualTo(8);
        assertThat(h.get("k").createIndex()).isEqualTo(3);
    }

    @Test
    void casWithStaleIndexIsRefusedAndStateIsUntouched() {
        h.applyAt(3, set("k", "v1"));
        h.applyAt(7, set("k", "v2"));

        Outcome outcome = h.applyAt(8, setCas("k", "v3", 3)); // 3 is the CreateIndex, not the ModifyIndex

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.error()).isNull();
        assertThat(outcome.index()).isEqualTo(8);
        assertThat(text(h.get("k").value())).isEqualTo("v2");
        assertThat(h.get("k").modifyIndex()).isEqualTo(7);
        assertThat(h.store.tableIndex(Table.KV)).isEqualTo(7);
    }

    @Test
    void casNonZeroOnMissingKeyIsRefused() {
        Outcome outcome = h.applyAt(5, setCas("missing", "v", 4));

        assertThat(outcome.success()).isFalse();
        assertThat(h.get("missing")).isNull();
        assertThat(h.store.tableIndex(Table.KV)).isEqualTo(1); // untouched: reported as 1
    }

    @Test
    void deleteRemovesKeyAndReportsDeleteIndex() {
        h.applyAt(2, set("k", "v"));

        Outcome outcome = h.applyAt(6, del("k"));

        assertThat(outcome).isEqualTo(new Outcome(6, true, null));
        assertThat(h.get("k")).isNull();
        assertThat(h.keyIndex("k")).isEqualTo(6);
        assertThat(h.list("")).isEmpty();
        assertThat(h.store.tableIndex(Table.KV)).isEqualTo(6);
    }

    @Test
    void deleteOfMissingKeySucceedsWithoutChangingAnything() {
        h.applyAt(2, set("other", "v"));

        Outcome outcome = h.applyAt(5, del("missing"));

        assertThat(outcome.success()).isTrue();
        assertThat(h.store.tableIndex(Table.KV)).isEqualTo(2);
        assertThat(h.keyIndex("missing")).isEqualTo(2);
        assertThat(h.prefixIndex("")).isEqualTo(2);
    }

    @Test
    void deleteWithMatchingCasRemovesKey() {
        h.applyAt(2, set("k", "v"));

        assertThat(h.applyAt(3, delCas("k", 2)).success()).isTrue();
        assertThat(h.get("k")).isNull();
        assertThat(h.keyIndex("k")).isEqualTo(3);
    }

    @Test
    void deleteWithMismatchedCasIsRefusedAndKeyKept() {
        h.applyAt(2, set("k", "v"));

        Outcome outcome = h.applyAt(3, delCas("k", 1));

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.error()).isNull();
        assertThat(text(h.get("k").value())).isEqualTo("v");
        assertThat(h.keyIndex("k")).isEqualTo(2);
        assertThat(h.store.tableIndex(Table.KV)).isEqualTo(2);
    }

    @Test
    void deleteWithCasZeroOnExistingKeyIsRefused() {
        h.applyAt(2, set("k", "v"));

        assertThat(h.applyAt(3, delCas("k", 0)).success()).isFalse();
        assertThat(h.get("k")).isNotNull();
    }

    @Test
    void deleteWithCasOnMissingKeySucceedsLikeConsul() {
        assertThat(h.applyAt(3, delCas("missing", 7)).success()).isTrue();
    }

    @Test
    void nonRecursiveDeleteLeavesChildrenAlone() {
        h.apply(set("app", "a"));
        h.apply(set("app/x", "b"));

        h.apply(del("app"));

        assertThat(h.list("")).containsExactly("app/x");
    }

    @Test
    void recursiveDeleteRemovesOnlyKeysUnderThePrefix() {
        h.applyAt(1, set("ap", "1"));
        h.applyAt(2, set("app/a", "2"));
        h.applyAt(3, set("app/b", "3"));
        h.applyAt(4, set("app/c/d", "4"));
        h.applyAt(5, set("apple", "5"));
        h.applyAt(6, set("other", "6"));
        h.applyAt(7, set("app", "7"));

        Outcome outcome = h.applyAt(10, delTree("app/"));

        assertThat(outcome).isEqualTo(new Outcome(10, true, null));
        assertThat(h.list("")).containsExactly("ap", "app", "apple", "other");
        assertThat(h.get("ap").modifyIndex()).isEqualTo(1);
        assertThat(h.get("app").modifyIndex()).isEqualTo(7);
        assertThat(h.get("apple").modifyIndex()).isEqualTo(5);
        assertThat(h.get("other").modifyIndex()).isEqualTo(6);
        assertThat(h.keyIndex("app/a")).isEqualTo(10);
        assertThat(h.keyIndex("app/c/d")).isEqualTo(10);
    }

    @Test
    void recursiveDeleteWithoutSlashIsAPlainStringPrefix() {
        h.apply(set("ap", "1"));
        h.apply(set("app/a", "2"));
        h.apply(set("apple", "3"));
        h.apply(set("b", "4"));

        h.apply(delTree("app"));

        assertThat(h.list("")).containsExactly("ap", "b");
    }

    @Test
    void recursiveDeleteOfEmptyPrefixRemovesEverything() {
        h.apply(set("a", "1"));
        h.apply(set("b/c", "2"));
        h.apply(set("\uffff", "3"));

        h.applyAt(20, delTree(""));

        assertThat(h.list("")).isEmpty();
        assertThat(h.prefixIndex("")).isEqualTo(20);
        assertThat(h.keyIndex("\uffff")).isEqualTo(20);
    }

    @Test
    void recursiveDeleteMatchingNothingChangesNoIndex() {
        h.applyAt(3, set("a", "1"));

        assertThat(h.applyAt(8, delTree("zzz/")).success()).isTrue();

        assertThat(h.store.tableIndex(Table.KV)).isEqualTo(3);
        assertThat(h.prefixIndex("zzz/")).isEqualTo(3);
        assertThat(h.store.lastIndex()).isEqualTo(8);
    }

    @Test
    void recursiveDeleteIgnoresCas() {
        // Documented here as current behaviour: cas is only honoured for single-key deletes.
        h.applyAt(3, set("p/a", "1"));

        assertThat(h.applyAt(4, new Command.KvDelete("p/", true, 99)).success()).isTrue();
        assertThat(h.list("p/")).isEmpty();
    }

    @Test
    void listByPrefixIsSortedByKey() {
        h.apply(set("cfg/zeta", "1"));
        h.apply(set("cfg/alpha", "2"));
        h.apply(set("cfg/m/n", "3"));
        h.apply(set("cfg/", "4"));
        h.apply(set("cfg/Beta", "5"));
        h.apply(set("cfh", "6"));
        h.apply(set("cf", "7"));

        assertThat(h.list("cfg/")).containsExactly("cfg/", "cfg/Beta", "cfg/alpha", "cfg/m/n", "cfg/zeta");
    }

    @Test
    void listIncludesAKeyEqualToThePrefix() {
        h.apply(set("app", "1"));
        h.apply(set("app/x", "2"));

        assertThat(h.list("app")).containsExactly("app", "app/x");
        assertThat(h.list("app/x")).containsExactly("app/x");
    }

    @Test
    void listOfEmptyPrefixReturnsEveryKey() {
        h.apply(set("b", "1"));
        h.apply(set("a", "2"));
        h.apply(set("", "3"));
        h.apply(set("\uffff\uffff", "4"));

        assertThat(h.list("")).containsExactly("", "a", "b", "\uffff\uffff");
    }

    @Test
    void listEntriesCarryValues() {
        h.apply(set("p/a", "x"));
        h.apply(new Command.KvSet("p/b", null, 7, Command.NO_CAS));

        var entries = h.store.kvList("p/").value();
        assertThat(entries).hasSize(2);
        assertThat(text(entries.get(0).value())).isEqualTo("x");
        assertThat(entries.get(1).value()).isNull();
        assertThat(entries.get(1).flags()).isEqualTo(7);
    }

    @Test
    void recreatedKeyStartsNewCreateIndex() {
        h.applyAt(2, set("k", "v"));
        h.applyAt(3, del("k"));
        h.applyAt(5, set("k", "v2"));

        assertThat(h.get("k").createIndex()).isEqualTo(5);
        assertThat(h.get("k").modifyIndex()).isEqualTo(5);
        assertThat(h.keyIndex("k")).isEqualTo(5);
    }
}
