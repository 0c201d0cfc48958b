package dev.beacon.dns;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A node's metadata as TXT records, one per key, as Consul writes them: {@code key=value} in RFC 1464's form
 * (backquotes doubled, {@code =} and the key's leading and trailing spaces quoted with a backquote), or only the value
 * for a key that starts with {@code rfc1035-}. Keys in order, so that the same node always gives the same records.
 */
final class NodeMetaTxt {
    private static final String VALUE_ONLY = "rfc1035-";
    private static final int MAX_STRING = 255;

    private NodeMetaTxt() {
    }

    static List<Record> records(Name owner, Map<String, String> meta, long ttl) {
        List<Record> records = new ArrayList<>(meta.size());
        new TreeMap<>(meta).forEach((key, value) -> records.add(txt(owner, text(key, value), ttl)));
        return records;
    }

    static String text(String key, String value) {
        if (key.toLowerCase(Locale.ROOT).startsWith(VALUE_ONLY)) {
            return value;
        }
        return quotedKey(key) + "=" + value.replace("`", "``");
    }

    private static String quotedKey(String key) {
        String escaped = key.replace("`", "``").replace("=", "`=");
        int leading = 0;
        while (leading < escaped.length() && escaped.charAt(leading) == ' ') {
            leading++;
        }
        int trailing = 0;
        while (trailing < escaped.length() - leading && escaped.charAt(escaped.length() - 1 - trailing) == ' ') {
            trailing++;
        }
        return "` ".repeat(leading) + escaped.substring(leading, escaped.length() - trailing) + "` ".repeat(trailing);
    }

    /** One TXT record holding {@code text}, cut into the 255-byte strings a TXT record is made of. */
    private static Record txt(Name owner, String text, long ttl) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream data = new ByteArrayOutputStream(bytes.length + bytes.length / MAX_STRING + 1);
        int offset = 0;
        do {
            int length = Math.min(MAX_STRING, bytes.length - offset);
            data.write(length);
            data.write(bytes, offset, length);
            offset += length;
        } while (offset < bytes.length);
        return Record.newRecord(owner, Type.TXT, DClass.IN, ttl, data.toByteArray());
    }
}
