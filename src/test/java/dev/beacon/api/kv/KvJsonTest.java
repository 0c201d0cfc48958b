package dev.beacon.api.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.beacon.state.KvEntry;
import org.junit.jupiter.api.Test;

class KvJsonTest {
    private static final KvEntry ENTRY = new KvEntry("app/config", bytes("v1"), 7, 10, 12, 1, "s1");

    @Test
    void entriesWithEqualFieldsAndEqualValueBytesRenderAlike() {
        KvEntry copy = new KvEntry(new String("app/config"), bytes("v1"), 7, 10, 12, 1, new String("s1"));

        assertThat(KvJson.sameJson(ENTRY, copy)).isTrue();
    }

    @Test
    void anyDifferingFieldMakesEntriesRenderDifferently() {
        assertThat(KvJson.sameJson(ENTRY, new KvEntry("app/other", bytes("v1"), 7, 10, 12, 1, "s1"))).isFalse();
        // Same indexes, different bytes: the value itself is compared, not trusted to follow ModifyIndex.
        assertThat(KvJson.sameJson(ENTRY, new KvEntry("app/config", bytes("v2"), 7, 10, 12, 1, "s1"))).isFalse();
        assertThat(KvJson.sameJson(ENTRY, new KvEntry("app/config", null, 7, 10, 12, 1, "s1"))).isFalse();
        assertThat(KvJson.sameJson(ENTRY, new KvEntry("app/config", bytes("v1"), 8, 10, 12, 1, "s1"))).isFalse();
        assertThat(KvJson.sameJson(ENTRY, new KvEntry("app/config", bytes("v1"), 7, 11, 12, 1, "s1"))).isFalse();
        assertThat(KvJson.sameJson(ENTRY, new KvEntry("app/config", bytes("v1"), 7, 10, 13, 1, "s1"))).isFalse();
        assertThat(KvJson.sameJson(ENTRY, new KvEntry("app/config", bytes("v1"), 7, 10, 12, 2, "s1"))).isFalse();
        assertThat(KvJson.sameJson(ENTRY, new KvEntry("app/config", bytes("v1"), 7, 10, 12, 1, null))).isFalse();
    }

    @Test
    void listsRenderAlikeOnlyWhenEveryEntryDoesInOrder() {
        KvEntry other = new KvEntry("app/other", bytes("o"), 0, 3, 3, 0, null);
        KvEntry otherCopy = new KvEntry("app/other", bytes("o"), 0, 3, 3, 0, null);

        assertThat(KvJson.sameJson(List.of(ENTRY, other), List.of(ENTRY, otherCopy))).isTrue();
        assertThat(KvJson.sameJson(List.of(ENTRY, other), List.of(other, ENTRY))).isFalse();
        assertThat(KvJson.sameJson(List.of(ENTRY, other), List.of(ENTRY))).isFalse();
        assertThat(KvJson.sameJson(List.of(ENTRY, other),
                List.of(ENTRY, new KvEntry("app/other", bytes("p"), 0, 3, 3, 0, null)))).isFalse();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
