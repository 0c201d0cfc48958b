package dev.beacon.state;

import static dev.beacon.state.Fixtures.node;
import static dev.beacon.state.Fixtures.session;
import static dev.beacon.state.Fixtures.set;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Consul's /v1/txn semantics: all operations at one index, or none; every error reported. */
class TxnTest {
    private final Fixtures.Harness h = new Fixtures.Harness();

    private static TxnOp op(TxnOp.Verb verb, String key, String value, long index, String session) {
        return new TxnOp(verb, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8), 0, index,
                session);
    }

    /** The results of a KV-only transaction, as entries. */
    private static List<KvEntry> entries(Outcome outcome) {
        return outcome.results().stream().map(KvEntry.class::cast).toList();
    }

    private Outcome txn(long index, TxnOp... ops) {
        return h.applyAt(index, new Command.Txn(List.of(ops)));
    }

    @Test
    void allOperationsApplyAtOneIndexAndReturnTheirEntries() {
        h.applyAt(2, set("c", "old"));

        Outcome outcome = txn(5,
                op(TxnOp.Verb.SET, "a", "1", 0, null),
                op(TxnOp.Verb.CAS, "c", "new", 2, null),
                op(TxnOp.Verb.GET, "c", null, 0, null),
                op(TxnOp.Verb.CHECK_NOT_EXISTS, "zzz", null, 0, null));

        assertThat(outcome.success()).isTrue();
        assertThat(outcome.txnErrors()).isEmpty();
        assertThat(entries(outcome)).extracting(KvEntry::key).containsExactly("a", "c", "c");
        assertThat(entries(outcome).get(0).value()).isNull();           // set answers without the value
        assertThat(new String(entries(outcome).get(2).value(), StandardCharsets.UTF_8)).isEqualTo("new");
        assertThat(h.store.kvGet("a").value().modifyIndex()).isEqualTo(5);
        assertThat(h.store.kvGet("c").value().modifyIndex()).isEqualTo(5);
        assertThat(h.store.tableIndex(Table.KV)).isEqualTo(5);
    }

    @Test
    void getOrEmptyAnswersAMissingKeyWithoutAValueInsteadOfFailing() {
        h.applyAt(2, set("here", "v"));

        Outcome outcome = txn(5,
                op(TxnOp.Verb.GET_OR_EMPTY, "here", null, 0, null),
                op(TxnOp.Verb.GET_OR_EMPTY, "missing", null, 0, null));

        assertThat(outcome.success()).isTrue();
        assertThat(entries(outcome)).extracting(KvEntry::key).containsExactly("here", "missing");
        assertThat(new String(entries(outcome).get(0).value(), StandardCharsets.UTF_8)).isEqualTo("v");
        assertThat(entries(outcome).get(1).value()).isNull();
        assertThat(entries(outcome).get(1).createIndex()).isZero();
        assertThat(h.store.kvGet("missing").value()).isNull();
        assertThat(txn(6, op(TxnOp.Verb.GET, "missing", null, 0, null)).success()).isFalse();
    }

    @Test
    void aFailedOperationRollsEverythingBackAndEveryErrorIsReported() {
        h.applyAt(2, set("keep", "v"));
        h.applyAt(3, set("gone", "v"));
        byte[] before = h.snapshot();

        Outcome outcome = txn(5,
                op(TxnOp.Verb.SET, "keep", "changed", 0, null),
                op(TxnOp.Verb.DELETE, "gone", null, 0, null),
                op(TxnOp.Verb.CHECK_INDEX, "keep", null, 99, null),
                op(TxnOp.Verb.SET, "new", "x", 0, null),
                op(TxnOp.Verb.GET, "missing", null, 0, null));

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.results()).isEmpty();
        assertThat(outcome.txnErrors()).containsExactly(
                new TxnError(2, "current modify index 5 != 99"),
                new TxnError(4, "key \"missing\" doesn't exist"));
        assertThat(h.store.kvGet("keep").value().modifyIndex()).isEqualTo(2);
        assertThat(h.store.kvGet("gone").value()).isNotNull();
        assertThat(h.store.kvGet("new").value()).isNull();
        assertThat(h.store.tableIndex(Table.KV)).isEqualTo(3);
        assertThat(h.store.lastIndex()).isEqualTo(5);
        // Same state as before, apart from the index the entry was applied at.
        Fixtures.Harness replay = new Fixtures.Harness();
        replay.applyAt(2, set("keep", "v"));
        replay.applyAt(3, set("gone", "v"));
        replay.applyAt(5, new Command.ReapTombstones(0));
        assertThat(h.snapshot()).isEqualTo(replay.snapshot()).isNotEqualTo(before);
    }

    @Test
    void aFailedTransactionWakesNoWatcher() {
        h.applyAt(2, set("k", "v"));
        int[] fired = {0};
        h.store.watchKey("k", 2, () -> fired[0]++);

        txn(5, op(TxnOp.Verb.SET, "k", "x", 0, null), op(TxnOp.Verb.CAS, "k", "y", 1, null));

        assertThat(fired[0]).isZero();
        assertThat(h.store.kvGet("k").index()).isEqualTo(2);
    }

    @Test
    void casDeleteCasAndCheckVerbsFailWithConsulsMessages() {
        h.applyAt(2, set("k", "v"));

        assertThat(txn(3, op(TxnOp.Verb.CAS, "k", "x", 1, null)).txnErrors())
                .containsExactly(new TxnError(0, "failed to set key \"k\", index is stale"));
        assertThat(txn(4, op(TxnOp.Verb.DELETE_CAS, "k", null, 1, null)).txnErrors())
                .containsExactly(new TxnError(0, "failed to delete key \"k\", index is stale"));
        assertThat(txn(5, op(TxnOp.Verb.CHECK_NOT_EXISTS, "k", null, 0, null)).txnErrors())
                .containsExactly(new TxnError(0, "key \"k\" exists"));
        assertThat(txn(6, op(TxnOp.Verb.CHECK_SESSION, "k", null, 0, "s1")).txnErrors())
                .containsExactly(new TxnError(0, "current session \"\" != \"s1\""));
    }

    @Test
    void lockUnlockAndCheckSessionWorkInsideATransaction() {
        h.applyAt(1, new Command.RegisterNode(node("n1")));
        h.applyAt(2, new Command.CreateSession(session("s1", "n1", SessionBehavior.RELEASE)));

        Outcome locked = txn(3, op(TxnOp.Verb.LOCK, "leader", "me", 0, "s1"),
                op(TxnOp.Verb.CHECK_SESSION, "leader", null, 0, "s1"));
        Outcome refused = txn(4, op(TxnOp.Verb.LOCK, "leader", "you", 0, "nope"));
        Outcome unlocked = txn(5, op(TxnOp.Verb.UNLOCK, "leader", "bye", 0, "s1"));

        assertThat(locked.success()).isTrue();
        assertThat(entries(locked).get(0).session()).isEqualTo("s1");
        assertThat(entries(locked).get(0).lockIndex()).isEqualTo(1);
        assertThat(refused.txnErrors()).containsExactly(new TxnError(0, "invalid session \"nope\""));
        assertThat(unlocked.success()).isTrue();
        assertThat(h.store.kvGet("leader").value().session()).isNull();
    }

    @Test
    void getTreeAndDeleteTreeWorkOnPrefixes() {
        h.applyAt(2, set("p/a", "1"));
        h.applyAt(3, set("p/b", "2"));
        h.applyAt(4, set("q", "3"));

        Outcome tree = txn(5, op(TxnOp.Verb.GET_TREE, "p/", null, 0, null));
        Outcome deleted = txn(6, op(TxnOp.Verb.DELETE_TREE, "p/", null, 0, null));

        assertThat(entries(tree)).extracting(KvEntry::key).containsExactly("p/a", "p/b");
        assertThat(deleted.success()).isTrue();
        assertThat(h.store.kvList("p/").value()).isEmpty();
        assertThat(h.store.kvGet("q").value()).isNotNull();
    }
}
