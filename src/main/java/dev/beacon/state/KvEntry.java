package dev.beacon.state;

/**
 * One key of the KV store. {@code value} may be null (Consul's "no value"); callers must not mutate it.
 * {@code session} is the holder of the key's lock, or null.
 */
public record KvEntry(String key, byte[] value, long flags, long createIndex, long modifyIndex, long lockIndex,
                      String session) implements TxnResult {
}
