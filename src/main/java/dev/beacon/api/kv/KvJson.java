package dev.beacon.api.kv;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.api.JsonNumbers;
import dev.beacon.state.KvEntry;

/**
 * A KV entry as Consul's JSON: the value in base64, null when missing or empty (Go encodes the empty value Consul
 * stores for an empty body as null), the session only while one holds the key.
 */
public record KvJson(@JsonProperty("LockIndex") long lockIndex, @JsonProperty("Key") String key,
                     @JsonProperty("Flags") Number flags, @JsonProperty("Value") byte[] value,
                     @JsonProperty("Session") @JsonInclude(JsonInclude.Include.NON_NULL) String session,
                     @JsonProperty("CreateIndex") long createIndex, @JsonProperty("ModifyIndex") long modifyIndex) {

    public static KvJson of(KvEntry e) {
        byte[] value = e.value() == null || e.value().length == 0 ? null : e.value();
        return new KvJson(e.lockIndex(), e.key(), JsonNumbers.uint64(e.flags()), value, e.session(),
                e.createIndex(), e.modifyIndex());
    }

    /** Whether two entries have the same JSON: every field equal, the value byte for byte. */
    static boolean sameJson(KvEntry a, KvEntry b) {
        return a.modifyIndex() == b.modifyIndex() && a.createIndex() == b.createIndex()
                && a.lockIndex() == b.lockIndex() && a.flags() == b.flags() && a.key().equals(b.key())
                && Objects.equals(a.session(), b.session()) && Arrays.equals(a.value(), b.value());
    }

    /** Whether two lists of entries have the same JSON. */
    static boolean sameJson(List<KvEntry> a, List<KvEntry> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!sameJson(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    static List<KvJson> of(List<KvEntry> entries) {
        return entries.stream().map(KvJson::of).toList();
    }
}
