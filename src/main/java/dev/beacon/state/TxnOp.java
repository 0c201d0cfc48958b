package dev.beacon.state;

/**
 * One KV operation of a transaction, as Consul's {@code /v1/txn} names them. Unused fields are null or 0:
 * {@code index} is the expected ModifyIndex of cas/check-index/delete-cas, {@code session} that of
 * lock/unlock/check-session.
 */
public record TxnOp(Verb verb, String key, byte[] value, long flags, long index, String session)
        implements TxnOperation {

    public enum Verb {
        SET, CAS, LOCK, UNLOCK, GET, GET_TREE, CHECK_INDEX,
        CHECK_SESSION, CHECK_NOT_EXISTS, DELETE, DELETE_TREE, DELETE_CAS;

        public String wireName() {
            return WireNames.of(this);
        }

        /** The verb for Consul's name, or null if there is none. */
        public static Verb fromWire(String name) {
            return WireNames.find(values(), name);
        }
    }

    public TxnOp {
        key = Text.orEmpty(key);
    }
}
