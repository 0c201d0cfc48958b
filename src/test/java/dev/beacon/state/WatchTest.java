package dev.beacon.state;

import java.io.ByteArrayInputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static dev.beacon.state.Fixtures.del;
import static dev.beacon.state.Fixtures.delTree;
import static dev.beacon.state.Fixtures.node;
import static dev.beacon.state.Fixtures.set;
import static org.assertj.core.api.Assertions.assertThat;

/** Key, prefix and table watches. */
class WatchTest {
    private final Fixtures.Harness h = new Fixtures.Harness();
    private final AtomicInteger fired = new AtomicInteger();

    private Runnable count() {
        return fired::incrementAndGet;
    }

    @Test
    void keyWatchFiresOnceWhenKeyChanges() {
        h.applyAt(5, set("k", "v1"));
        Watch w = h.store.watchKey("k", 5, count());
        assertThat(fired.get()).isZero();
        assertThat(h.store.watchCount()).isEqualTo(1);

        h.applyAt(6, set("k", "v2"));
        assertThat(fired.get()).isEqualTo(1);
        assertThat(w.isDone()).isTrue();
        assertThat(h.store.watchCount()).isZero();

        h.applyAt(7, set("k", "v3"));
        assertThat(fired.get()).isEqualTo(1);
    }

    @Test
    void keyWatchFiresImmediatelyWhenAlreadyPastIndex() {
        h.applyAt(5, set("k", "v"));

        Watch w = h.store.watchKey("k", 4, count());

        assertThat(fired.get()).isEqualTo(1);
        assertThat(w.isDone()).isTrue();
        assertThat(h.store.watchCount()).isZero();
    }

    @Test
    void keyWatchAtCurrentIndexParks() {
        h.applyAt(5, set("k", "v"));

        Watch w = h.store.watchKey("k", 5, count());

        assertThat(fired.get()).isZero();
        assertThat(w.isDone()).isFalse();
    }

    @Test
    void watchOnMissingKeyWithIndexZeroFiresAtOnceSinceIndexIsAtLeastOne() {
        h.store.watchKey("missing", 0, count());
        assertThat(fired.get()).isEqualTo(1);
    }

    @Test
    void watchOnMissingKeyFiresWhenCreated() {
        h.applyAt(3, set("other", "v"));
        h.store.watchKey("k", 1, count());

        h.applyAt(4, set("k", "v"));

        assertThat(fired.get()).isEqualTo(1);
    }

    @Test
    void keyWatchIgnoresOtherKeys() {
        h.applyAt(1, set("a", "v"));
        h.store.watchKey("a", 1, count());

        h.apply(set("ab", "v"));
        h.apply(set("a/b", "v"));
        h.apply(set("", "v"));
        h.apply(set("b", "v"));

        assertThat(fired.get()).isZero();
        assertThat(h.store.watchCount()).isEqualTo(1);
    }

    @Test
    void keyWatchFiresOnDeleteOfTheKey() {
        h.applyAt(1, set("k", "v"));
        h.store.watchKey("k", 1, count());

        h.applyAt(2, del("k"));

        assertThat(fired.get()).isEqualTo(1);
    }

    @Test
    void keyWatchFiresOnRecursiveDeleteOfParent() {
        h.applyAt(1, set("app/k", "v"));
        h.store.watchKey("app/k", 1, count());

        h.applyAt(2, delTree("app/"));

        assertThat(fired.get()).isEqualTo(1);
    }

    @Test
    void keyWatchDoesNotFireForDeleteOfMissingKeyOrRefusedCas() {
        h.applyAt(1, set("k", "v"));
        h.store.watchKey("k", 1, count());
        h.store.watchKey("missing", 1, count());

        h.apply(del("missing"));
        h.apply(Fixtures.setCas("k", "x", 0));
        h.apply(Fixtures.delCas("k", 999));

        assertThat(fired.get()).isZero();
        assertThat(h.store.watchCount()).isEqualTo(2);
    }

    @Test
    void prefixWatchWithSlashIsNotFiredBySiblingWithoutSlash() {
        h.applyAt(1, set("app/a", "v"));
        h.store.watchPrefix("app/", 1, count());

        h.apply(set("apple", "v"));
        h.apply(set("app", "v"));
        h.apply(set("ap", "v"));
        h.apply(set("b/app/x", "v"));

        assertThat(fired.get()).isZero();
    }

    @Test
    void prefixWatchWithSlashIsFiredByKeyUnderIt() {
        h.applyAt(1, set("app/a", "v"));
        h.store.watchPrefix("app/", 1, count());

        h.apply(set("app/x/y", "v"));

        assertThat(fired.get()).isEqualTo(1);
    }

    @Test
    void prefixWatchIsFiredByKeyEqualToPrefix() {
        h.store.watchPrefix("app/", 1, count());

        h.applyAt(2, set("app/", "v"));

        assertThat(fired.get()).isEqualTo(1);
    }

    @Test
    void prefixWatchWithoutSlashIsFiredByApple() {
        h.store.watchPrefix("app", 1, count());

        h.applyAt(2, set("apple", "v"));

        assertThat(fired.get()).isEqualTo(1);
    }

    @Test
    void emptyPrefixWatchIsFiredByAnyKey() {
        h.store.watchPrefix("", 1, count());

        h.applyAt(2, set("\uffff", "v"));

        assertThat(fired.get()).isEqualTo(1);
    }

    @Test
    void prefixWatchFiresOnDeleteUnderPrefix() {
        h.applyAt(1, set("cfg/a", "v"));
        h.applyAt(2, set("other", "v"));
        h.store.watchPrefix("cfg/", 1, count());

        h.applyAt(3, del("cfg/a"));

        assertThat(fired.get()).isEqualTo(1);
    }

    @Test
    void prefixWatchFiresImmediatelyWhenPrefixAlreadyPastIndex() {
        h.applyAt(1, set("cfg/a", "v"));
        h.applyAt(4, del("cfg/a"));

        h.store.watchPrefix("cfg/", 3, count());

        assertThat(fired.get()).isEqualTo(1);
    }

    @Test
    void prefixWatchParksWhenOnlyOtherPrefixesMoved() {
        h.applyAt(2, set("cfg/a", "v"));
        h.applyAt(9, set("zzz", "v"));

        h.store.watchPrefix("cfg/", 2, count());

        assertThat(fired.get()).isZero();
        assertThat(h.store.watchCount()).isEqualTo(1);
    }

    @Test
    void unicodePrefixWatch() {
        h.store.watchPrefix("日本/", 1, count());

        h.apply(set("日本語", "v"));
        assertThat(fired.get()).isZero();

        h.apply(set("日本/東京", "v"));
        assertThat(fired.get()).isEqualTo(1);
    }

    @Test
    void tableWatchFiresOnlyForItsTable() {
        AtomicInteger nodes = new AtomicInteger();
        AtomicInteger kv = new AtomicInteger();
        h.store.watchTable(Table.NODES, 1, nodes::incrementAndGet);
        h.store.watchTable(Table.KV, 1, kv::incrementAndGet);

        h.applyAt(2, new Command.RegisterNode(node("n1")));

        assertThat(nodes.get()).isEqualTo(1);
        assertThat(kv.get()).isZero();
        assertThat(h.store.watchCount()).isEqualTo(1);

        h.applyAt(3, set("k", "v"));
        assertThat(kv.get()).isEqualTo(1);
        assertThat(h.store.watchCount()).isZero();
    }

    @Test
    void tableWatchFiresImmediatelyWhenAlreadyPast() {
        h.applyAt(4, new Command.RegisterNode(node("n1")));

        h.store.watchTable(Table.NODES, 3, count());

        assertThat(fired.get()).isEqualTo(1);
    }

    @Test
    void tableWatchNotFiredByIdenticalReRegistration() {
        h.applyAt(1, new Command.RegisterNode(node("n1")));
        h.store.watchTable(Table.NODES, 1, count());

        h.applyAt(2, new Command.RegisterNode(node("n1")));

        assertThat(fired.get()).isZero();
        assertThat(h.store.watchCount()).isEqualTo(1);
    }

    @Test
    void cancelledWatchNeverFires() {
        Watch key = h.store.watchKey("k", 1, count());
        Watch prefix = h.store.watchPrefix("k", 1, count());
        Watch table = h.store.watchTable(Table.KV, 1, count());
        assertThat(h.store.watchCount()).isEqualTo(3);

        key.cancel();
        prefix.cancel();
        table.cancel();
        assertThat(h.store.watchCount()).isZero();
        assertThat(key.isDone()).isTrue();

        h.applyAt(2, set("k", "v"));
        assertThat(fired.get()).isZero();
    }

    @Test
    void cancellingOneWatchLeavesOthersOnSameKey() {
        AtomicInteger other = new AtomicInteger();
        Watch first = h.store.watchKey("k", 1, count());
        h.store.watchKey("k", 1, other::incrementAndGet);

        first.cancel();
        assertThat(h.store.watchCount()).isEqualTo(1);

        h.applyAt(2, set("k", "v"));
        assertThat(fired.get()).isZero();
        assertThat(other.get()).isEqualTo(1);
    }

    @Test
    void cancelAfterFireIsHarmless() {
        Watch w = h.store.watchKey("k", 1, count());
        h.applyAt(2, set("k", "v"));

        w.cancel();
        w.cancel();

        assertThat(fired.get()).isEqualTo(1);
        assertThat(h.store.watchCount()).isZero();
    }

    @Test
    void watchCountCountsEveryKindAndDropsAfterFiring() {
        for (int i = 0; i < 10; i++) {
            h.store.watchKey("k" + i, 1, count());
            h.store.watchPrefix("p" + i + "/", 1, count());
        }
        h.store.watchTable(Table.SESSIONS, 1, count());
        assertThat(h.store.watchCount()).isEqualTo(21);

        h.applyAt(2, set("k3", "v"));
        assertThat(h.store.watchCount()).isEqualTo(20);
        h.applyAt(3, set("p4/x", "v"));
        assertThat(h.store.watchCount()).isEqualTo(19);
        assertThat(fired.get()).isEqualTo(2);
    }

    @Test
    void oneWriteFiresEveryMatchingWatchOnce() {
        h.store.watchKey("a/b/c", 1, count());
        h.store.watchPrefix("", 1, count());
        h.store.watchPrefix("a/", 1, count());
        h.store.watchPrefix("a/b/c", 1, count());
        h.store.watchTable(Table.KV, 1, count());
        h.store.watchPrefix("a/c", 1, count()); // not matching

        h.applyAt(2, set("a/b/c", "v"));

        assertThat(fired.get()).isEqualTo(5);
        assertThat(h.store.watchCount()).isEqualTo(1);
    }

    @Test
    void restoreSnapshotWakesAllWatchers() throws Exception {
        Fixtures.Harness other = new Fixtures.Harness();
        other.applyAt(1, set("x", "v"));
        byte[] snapshot = other.snapshot();
        h.store.watchKey("k", 1, count());
        h.store.watchPrefix("p/", 1, count());
        h.store.watchTable(Table.NODES, 1, count());
        h.store.watchTable(Table.SESSIONS, 1, count());

        h.store.restoreSnapshot(new ByteArrayInputStream(snapshot));

        assertThat(fired.get()).isEqualTo(4);
        assertThat(h.store.watchCount()).isZero();
    }

    @Test
    void clearWakesAllWatchers() {
        h.store.watchKey("k", 1, count());
        h.store.watchTable(Table.KV, 1, count());

        h.store.clear();

        assertThat(fired.get()).isEqualTo(2);
        assertThat(h.store.watchCount()).isZero();
    }

    @Test
    void callbackRunsAfterStoreLockIsReleased() throws Exception {
        AtomicBoolean otherThreadCouldRead = new AtomicBoolean();
        h.store.watchKey("k", 1, () -> {
            // Another thread must be able to take the read lock while the callback runs.
            CompletableFuture<Long> read = CompletableFuture.supplyAsync(h.store::lastIndex);
            try {
                otherThreadCouldRead.set(read.get(2, TimeUnit.SECONDS) == 2L);
            } catch (Exception e) {
                otherThreadCouldRead.set(false);
            }
        });

        h.applyAt(2, set("k", "v"));

        assertThat(otherThreadCouldRead).isTrue();
    }

    @Test
    void callbackMayApplyAnotherCommand() {
        h.store.watchKey("k", 1, () -> h.store.apply(3, 0, set("from-callback", "v")));

        h.applyAt(2, set("k", "v"));

        assertThat(h.store.kvGet("from-callback").value()).isNotNull();
    }

    /** Store.watchKey: "Runs onChange once the key's index exceeds index". */
    @Test
    void watchWithIndexAheadOfStoreDoesNotFireUntilIndexExceedsIt() {
        h.applyAt(5, set("k", "v"));
        h.store.watchKey("k", 100, count());

        h.applyAt(6, set("k", "v2"));

        assertThat(h.store.kvGet("k").index()).isEqualTo(6);
        assertThat(fired.get()).isZero();
    }

    /** Reaping keeps every index where it was, so a parked reader has nothing new to see and is not woken. */
    @Test
    void reapOfAnUnrelatedTombstoneNeitherMovesNorWakesAPrefix() {
        h.applyAt(2, set("cfg/a", "v"));
        h.applyAt(3, set("tmp", "v"));
        h.applyAt(9, del("tmp"));
        h.store.watchPrefix("cfg/", 2, count());

        h.applyAt(10, new Command.ReapTombstones(9));

        assertThat(h.store.kvList("cfg/").index()).isEqualTo(2);
        assertThat(fired.get()).isZero();
    }
}
