package dev.beacon.state;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static dev.beacon.state.Fixtures.del;
import static dev.beacon.state.Fixtures.delTree;
import static dev.beacon.state.Fixtures.set;
import static org.assertj.core.api.Assertions.assertThat;

/** Per-key and per-prefix indexes, tombstones, reaping and odd prefixes. */
class KvIndexTest {
    private final Fixtures.Harness h = new Fixtures.Harness();

    @Test
    void freshStoreReportsIndexOneEverywhere() {
        assertThat(h.keyIndex("missing")).isEqualTo(1);
        assertThat(h.prefixIndex("missing/")).isEqualTo(1);
        assertThat(h.prefixIndex("")).isEqualTo(1);
        for (Table t : Table.values()) {
            assertThat(h.store.tableIndex(t)).as(t.name()).isEqualTo(1);
        }
        assertThat(h.store.nodes().index()).isEqualTo(1);
        assertThat(h.store.services().index()).isEqualTo(1);
        assertThat(h.store.checks().index()).isEqualTo(1);
        assertThat(h.store.sessions().index()).isEqualTo(1);
        assertThat(h.store.lastIndex()).isZero();
    }

    @Test
    void missingResourcesReportAtLeastOneAfterOtherWrites() {
        h.applyAt(50, set("a", "1"));

        assertThat(h.keyIndex("never")).isGreaterThanOrEqualTo(1);
        assertThat(h.prefixIndex("never/")).isGreaterThanOrEqualTo(1);
        assertThat(h.store.kvGet("never").value()).isNull();
    }

    @Test
    void prefixIndexIsTheMaxModifyIndexUnderIt() {
        h.applyAt(3, set("a/1", "x"));
        h.applyAt(7, set("a/2", "x"));
        h.applyAt(9, set("b", "x"));
        h.applyAt(11, set("a", "x")); // "a" is not under "a/"

        assertThat(h.prefixIndex("a/")).isEqualTo(7);
        assertThat(h.prefixIndex("a/1")).isEqualTo(3);
        assertThat(h.prefixIndex("a")).isEqualTo(11);
        assertThat(h.prefixIndex("b")).isEqualTo(9);
        assertThat(h.prefixIndex("")).isEqualTo(11);
    }

    @Test
    void prefixIndexIncludesTombstones() {
        h.applyAt(3, set("a/1", "x"));
        h.applyAt(5, set("a/2", "x"));
        h.applyAt(8, del("a/2"));
        h.applyAt(10, set("b", "x"));

        Indexed<List<KvEntry>> list = h.store.kvList("a/");
        assertThat(Fixtures.keys(list.value())).containsExactly("a/1");
        assertThat(list.index()).isEqualTo(8);
    }

    @Test
    void deleteRaisesPrefixIndexAndItNeverGoesBackwards() {
        List<Long> seen = new ArrayList<>();
        h.applyAt(2, set("p/a", "1"));
        seen.add(h.prefixIndex("p/"));
        h.applyAt(4, set("p/b", "1"));
        seen.add(h.prefixIndex("p/"));
        h.applyAt(6, del("p/b"));
        seen.add(h.prefixIndex("p/"));
        h.applyAt(8, del("p/a"));
        seen.add(h.prefixIndex("p/"));
        h.applyAt(9, set("q", "1"));
        seen.add(h.prefixIndex("p/"));

        // With no live key left under it, the prefix reports the KV table index: 9 after the write to "q".
        assertThat(seen).containsExactly(2L, 4L, 6L, 8L, 9L);
    }

    @Test
    void deleteOfOnlyKeyKeepsPrefixIndexAtTheDelete() {
        h.applyAt(5, set("solo/key", "v"));
        h.applyAt(12, del("solo/key"));

        assertThat(h.prefixIndex("solo/")).isEqualTo(12);
        assertThat(h.store.kvList("solo/").value()).isEmpty();
    }

    @Test
    void recursiveDeleteLeavesTombstonesAtItsIndex() {
        h.applyAt(2, set("t/a", "1"));
        h.applyAt(3, set("t/b", "1"));
        h.applyAt(9, delTree("t/"));

        assertThat(h.prefixIndex("t/")).isEqualTo(9);
        assertThat(h.keyIndex("t/a")).isEqualTo(9);
        assertThat(h.keyIndex("t/b")).isEqualTo(9);
    }

    @Test
    void recreatingKeyReplacesItsTombstone() {
        h.applyAt(2, set("k", "v"));
        h.applyAt(4, del("k"));
        h.applyAt(6, set("k", "v"));
        h.applyAt(8, del("k"));

        assertThat(h.keyIndex("k")).isEqualTo(8);
    }

    @Test
    void reapingNeverLowersADeletedKeysIndex() {
        h.applyAt(2, set("k", "v"));
        h.applyAt(5, del("k"));
        long before = h.keyIndex("k");

        h.applyAt(6, new Command.ReapTombstones(5));

        assertThat(before).isEqualTo(5);
        assertThat(h.keyIndex("k")).isGreaterThanOrEqualTo(5);
        assertThat(h.prefixIndex("k")).isGreaterThanOrEqualTo(5);
    }

    @Test
    void reapingNeverLowersAPrefixIndex() {
        h.applyAt(2, set("p/a", "v"));
        h.applyAt(3, set("p/b", "v"));
        h.applyAt(7, del("p/b"));

        h.applyAt(8, new Command.ReapTombstones(100));

        assertThat(h.prefixIndex("p/")).isGreaterThanOrEqualTo(7);
        assertThat(h.prefixIndex("")).isGreaterThanOrEqualTo(7);
        assertThat(h.keyIndex("p/b")).isGreaterThanOrEqualTo(7);
        assertThat(h.keyIndex("p/a")).isEqualTo(2); // a live key keeps its own ModifyIndex
    }

    @Test
    void reapingBelowATombstoneKeepsIt() {
        h.applyAt(2, set("k", "v"));
        h.applyAt(9, del("k"));

        h.applyAt(10, new Command.ReapTombstones(8));

        assertThat(h.keyIndex("k")).isEqualTo(9);
        assertThat(h.prefixIndex("k")).isEqualTo(9);
    }

    @Test
    void reapDoesNotMoveTableIndexes() {
        h.applyAt(2, set("k", "v"));
        h.applyAt(3, del("k"));

        Outcome outcome = h.applyAt(4, new Command.ReapTombstones(3));

        assertThat(outcome).isEqualTo(new Outcome(4, true, null));
        assertThat(h.store.tableIndex(Table.KV)).isEqualTo(3);
        assertThat(h.store.lastIndex()).isEqualTo(4);
    }

    @Test
    void indexesKeepGrowingAfterReap() {
        h.applyAt(2, set("k", "v"));
        h.applyAt(3, del("k"));
        h.applyAt(4, new Command.ReapTombstones(3));
        h.applyAt(5, set("k", "v"));
        h.applyAt(6, del("k"));

        assertThat(h.keyIndex("k")).isEqualTo(6);
        assertThat(h.prefixIndex("")).isEqualTo(6);
    }

    @Test
    void emptyPrefixCoversEverything() {
        h.applyAt(2, set("a", "1"));
        h.applyAt(3, set("z/z", "1"));
        h.applyAt(4, set("\uffff", "1"));
        h.applyAt(5, del("a"));

        assertThat(h.list("")).containsExactly("z/z", "\uffff");
        assertThat(h.prefixIndex("")).isEqualTo(5);
        assertThat(h.prefixIndex("")).isEqualTo(h.store.tableIndex(Table.KV));
    }

    @Test
    void prefixEndingInMaxCharCoversOnlyItsKeys() {
        h.applyAt(1, set("a\ufffe", "1"));
        h.applyAt(2, set("a\uffff", "2"));
        h.applyAt(3, set("a\uffffz", "3"));
        h.applyAt(4, set("a\uffff\uffff", "4"));
        h.applyAt(5, set("b", "5"));
        h.applyAt(6, set("a", "6"));

        assertThat(h.list("a\uffff")).containsExactly("a\uffff", "a\uffffz", "a\uffff\uffff");
        assertThat(h.prefixIndex("a\uffff")).isEqualTo(4);
        assertThat(h.list("a")).containsExactly("a", "a\ufffe", "a\uffff", "a\uffffz", "a\uffff\uffff");
    }

    @Test
    void prefixMadeOnlyOfMaxCharsCoversTheTail() {
        h.applyAt(1, set("\ufffe", "1"));
        h.applyAt(2, set("\uffff", "2"));
        h.applyAt(3, set("\uffff\uffffx", "3"));
        h.applyAt(4, set("z", "4"));

        assertThat(h.list("\uffff")).containsExactly("\uffff", "\uffff\uffffx");
        assertThat(h.list("\uffff\uffff")).containsExactly("\uffff\uffffx");
        assertThat(h.prefixIndex("\uffff")).isEqualTo(3);
        h.applyAt(5, del("\uffff\uffffx"));
        assertThat(h.prefixIndex("\uffff\uffff")).isEqualTo(5);
    }

    @Test
    void prefixesWithCommasAreLiteral() {
        h.applyAt(1, set("config/app,dev/x", "1"));
        h.applyAt(2, set("config/app,devx", "2"));
        h.applyAt(3, set("config/app/x", "3"));
        h.applyAt(4, set("config/app,dev/y", "4"));

        assertThat(h.list("config/app,dev/")).containsExactly("config/app,dev/x", "config/app,dev/y");
        assertThat(h.prefixIndex("config/app,dev/")).isEqualTo(4);
        assertThat(h.list("config/app/")).containsExactly("config/app/x");
        assertThat(h.prefixIndex("config/app/")).isEqualTo(3);
    }

    @Test
    void unicodePrefixesWork() {
        h.applyAt(1, set("конфиг/ключ", "1"));
        h.applyAt(2, set("日本/東京", "2"));
        h.applyAt(3, set("\uD83D\uDE00/a", "3"));
        h.applyAt(4, set("\uD83D\uDE00b", "4"));
        h.applyAt(5, set("\uD83D\uDE01/a", "5"));

        assertThat(h.list("конфиг/")).containsExactly("конфиг/ключ");
        assertThat(h.list("日本/")).containsExactly("日本/東京");
        assertThat(h.list("\uD83D\uDE00/")).containsExactly("\uD83D\uDE00/a");
        assertThat(h.list("\uD83D\uDE00")).containsExactly("\uD83D\uDE00/a", "\uD83D\uDE00b");
        assertThat(h.prefixIndex("\uD83D\uDE00")).isEqualTo(4);
        assertThat(h.prefixIndex("日本/")).isEqualTo(2);
    }

    @Test
    void keyOrderIsCodePointOrderWhichIsUtf8ByteOrder() {
        assertThat(KeyOrder.compare("a", "b")).isNegative();
        assertThat(KeyOrder.compare("a", "a/")).isNegative();
        assertThat(KeyOrder.compare("\uFF21", "\uD83D\uDE00")).isNegative();
        assertThat(KeyOrder.compare("\uD83D\uDE00", "\uFF21")).isPositive();
        assertThat(KeyOrder.compare("\uD83D\uDE00", "\uD83D\uDE01")).isNegative();
        assertThat(KeyOrder.compare("x", "x")).isZero();
    }

    /**
     * CONSUL-API.md: "KV list: the max ModifyIndex or tombstone index under the prefix; if there is none, the KV
     * table index."
     */
    @Test
    void emptyPrefixWithNothingUnderItReportsKvTableIndex() {
        h.applyAt(2, set("a", "1"));
        h.applyAt(7, set("b", "1"));

        Indexed<List<KvEntry>> list = h.store.kvList("nothing/");
        assertThat(list.value()).isEmpty();
        assertThat(list.index()).isEqualTo(h.store.tableIndex(Table.KV)).isEqualTo(7);
    }

    /**
     * The reaped floor is global: reaping a tombstone of an unrelated key raises the index of every prefix, even
     * one whose live entries have not changed. A Spring Cloud Consul ConfigWatch parked on "config/app/" then gets
     * a new index with a non-empty body and publishes a RefreshEvent though nothing under its prefix changed.
     */
    @Test
    void reapingUnrelatedTombstoneDoesNotChangeIndexOfPrefixWithLiveEntries() {
        h.applyAt(2, set("config/app/a", "1"));
        h.applyAt(3, set("config/app/b", "1"));
        h.applyAt(40, set("tmp/lock", "1"));
        h.applyAt(50, del("tmp/lock"));
        assertThat(h.prefixIndex("config/app/")).isEqualTo(3);

        h.applyAt(60, new Command.ReapTombstones(50));

        assertThat(h.prefixIndex("config/app/")).isEqualTo(3);
    }

    /** Consul (memdb radix tree) orders keys by their UTF-8 bytes; TreeMap<String> orders by UTF-16 units. */
    @Test
    void listIsSortedByUtf8BytesLikeConsul() {
        String fullwidthA = "p/\uFF21";          // UTF-8 EF BC A1
        String emoji = "p/\uD83D\uDE00";          // UTF-8 F0 9F 98 80
        h.apply(set(fullwidthA, "1"));
        h.apply(set(emoji, "2"));

        List<String> listed = h.list("p/");
        List<String> byBytes = new ArrayList<>(listed);
        byBytes.sort((x, y) -> Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8),
                y.getBytes(StandardCharsets.UTF_8)));
        assertThat(listed).containsExactlyElementsOf(byBytes).containsExactly(fullwidthA, emoji);
    }
}
