package dev.beacon.etcd;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.UTF8JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * A file's value as the store keeps it, UTF-8 bytes, written as a JSON string. ASCII bytes, the common case, go
 * into the JSON as they are (escaped where JSON needs it) instead of being decoded into a String and encoded back,
 * which was most of the cost of rendering a 1 KiB value; other bytes go through a String, so an invalid sequence
 * is written as U+FFFD, as Go's encoder writes it.
 */
@JsonSerialize(using = EtcdValue.Writer.class)
final class EtcdValue {
    static final EtcdValue EMPTY = new EtcdValue(new byte[0]);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    private final byte[] utf8;

    /** @param utf8 the stored bytes, not copied: the store's values are never changed in place */
    EtcdValue(byte[] utf8) {
        this.utf8 = utf8;
    }

    String text() {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** Eight bytes at a time: this check runs over every value an etcd read returns. */
    private boolean isAscii() {
        int i = 0;
        for (; i + Long.BYTES <= utf8.length; i += Long.BYTES) {
            if (((long) LONGS.get(utf8, i) & HIGH_BITS) != 0) {
                return false;
            }
        }
        for (; i < utf8.length; i++) {
            if (utf8[i] < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text();
    }

    static final class Writer extends ValueSerializer<EtcdValue> {
        @Override
        public void serialize(EtcdValue value, JsonGenerator out, SerializationContext context) {
            // Only the byte-writing generator (what the server writes answers with) takes UTF-8 as it is.
            if (out instanceof UTF8JsonGenerator && value.isAscii()) {
                out.writeUTF8String(value.utf8, 0, value.utf8.length);
            } else {
                out.writeString(value.text());
            }
        }
    }
}
