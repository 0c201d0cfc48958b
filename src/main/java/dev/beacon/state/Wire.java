package dev.beacon.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Primitive encodings shared by the command codec and the snapshot codec.
 * Everything is length-prefixed so that a truncated or corrupt stream fails loudly instead of misreading.
 * Maps are written in key order, so equal state always encodes to equal bytes.
 */
final class Wire {
    private static final int NULL = -1;
    /** No field is this large (a KV value is at most 512 KiB); a larger length means a corrupt stream. */
    static final int MAX_FIELD_BYTES = 16 * 1024 * 1024;

    private Wire() {
    }

    static void writeString(DataOutput out, String s) throws IOException {
        if (s == null) {
            out.writeInt(NULL);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static String readString(DataInput in) throws IOException {
        byte[] bytes = readBytes(in);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    static void writeBytes(DataOutput out, byte[] bytes) throws IOException {
        if (bytes == null) {
            out.writeInt(NULL);
            return;
        }
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static byte[] readBytes(DataInput in) throws IOException {
        return readBytes(in, in.readInt());
    }

    /** The rest of a field whose length prefix the caller has read already. */
    static String readString(DataInput in, int length) throws IOException {
        byte[] bytes = readBytes(in, length);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(DataInput in, int length) throws IOException {
        if (length == NULL) {
            return null;
        }
        if (length < 0 || length > MAX_FIELD_BYTES) {
            throw new IOException("bad field length " + length);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    static void writeStrings(DataOutput out, List<String> list) throws IOException {
        out.writeInt(list.size());
        for (String s : list) {
            writeString(out, s);
        }
    }

    static List<String> readStrings(DataInput in) throws IOException {
        int size = readCount(in);
        List<String> list = new ArrayList<>(Math.min(size, 1024));
        for (int i = 0; i < size; i++) {
            list.add(readString(in));
        }
        return Collections.unmodifiableList(list);
    }

    static void writeStringMap(DataOutput out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
    }

    static Map<String, String> readStringMap(DataInput in) throws IOException {
        int size = readCount(in);
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            map.put(readString(in), readString(in));
        }
        return Collections.unmodifiableMap(map);
    }

    /** Writes an enum constant as its one-byte {@link WireCode}. */
    static void writeCode(DataOutput out, WireCode constant) throws IOException {
        out.writeByte(constant.code());
    }

    static <E extends Enum<E> & WireCode> E readCode(DataInput in, Class<E> type) throws IOException {
        return WireCode.decode(type, in.readUnsignedByte());
    }

    static int readCount(DataInput in) throws IOException {
        int size = in.readInt();
        if (size < 0) {
            throw new IOException("negative count " + size);
        }
        return size;
    }
}
