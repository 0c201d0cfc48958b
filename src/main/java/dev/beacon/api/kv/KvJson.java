package dev.beacon.api.kv;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import dev.beacon.state.KvEntry;

/**
 * Writes KV entries as Consul's JSON, by hand: the shape is fixed and small, and this is the hot read path, so
 * it skips object mapping. Values are base64; a missing or empty value is {@code null}; Session appears only when
 * held.
 */
public final class KvJson {
    private KvJson() {
    }

    static byte[] entries(List<KvEntry> entries) {
        StringBuilder json = new StringBuilder(64 + entries.size() * 160);
        json.append('[');
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            append(json, entries.get(i));
        }
        json.append(']');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Appends one entry as a JSON object (an element of a KV list, or the "KV" of a transaction result). */
    public static void append(StringBuilder json, KvEntry e) {
        json.append("{\"LockIndex\":").append(e.lockIndex());
        json.append(",\"Key\":");
        string(json, e.key());
        json.append(",\"Flags\":").append(Long.toUnsignedString(e.flags()));
        json.append(",\"Value\":");
        if (e.value() == null || e.value().length == 0) {
            // Go encodes the empty value Consul stores for an empty body as null.
            json.append("null");
        } else {
            json.append('"').append(Base64.getEncoder().encodeToString(e.value())).append('"');
        }
        if (e.session() != null) {
            json.append(",\"Session\":");
            string(json, e.session());
        }
        json.append(",\"CreateIndex\":").append(e.createIndex());
        json.append(",\"ModifyIndex\":").append(e.modifyIndex()).append('}');
    }

    static byte[] strings(List<String> strings) {
        StringBuilder json = new StringBuilder(16 + strings.size() * 32);
        json.append('[');
        for (int i = 0; i < strings.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            string(json, strings.get(i));
        }
        json.append(']');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static void string(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        // Escaped as Go's encoding/json does, so the output matches Consul's byte for byte.
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
