package dev.beacon.state;

import java.io.IOException;

/**
 * The stored form of an enum constant in the log, snapshots and forwarded queries: a number fixed per constant,
 * never its ordinal, so that adding or reordering constants cannot change what bytes already written mean. A code
 * is never renumbered or reused; {@code WireCodeTest} pins them.
 */
interface WireCode {
    int code();

    /** The constant of {@code type} stored as {@code code}; an unknown code means corrupt or newer data. */
    static <E extends Enum<E> & WireCode> E decode(Class<E> type, int code) throws IOException {
        for (E constant : type.getEnumConstants()) {
            if (constant.code() == code) {
                return constant;
            }
        }
        String name = type.getName().substring(type.getPackageName().length() + 1).replace('$', '.');
        throw new IOException("unknown " + name + " code " + code);
    }
}
