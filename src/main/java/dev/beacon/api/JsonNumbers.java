package dev.beacon.api;

import java.math.BigInteger;

/** Consul's uint64 fields: Java keeps them in a long, JSON must show them unsigned. */
public final class JsonNumbers {
    private JsonNumbers() {
    }

    public static Number uint64(long value) {
        return value >= 0 ? Long.valueOf(value) : new BigInteger(Long.toUnsignedString(value));
    }
}
