package dev.beacon.state;

/**
 * One KV operation of a transaction, as Consul's {@code /v1/txn} names them. Unused fields are null or 0:
 * {@code index} is the expected ModifyIndex of cas/check-index/delete-cas, {@code session} that of
 * lock/unlock/check-session.
 */
public record TxnOp(Verb verb, String key, byte[] value, long flags, long index, String session)
        implements TxnOperation {

    /** The code is the stored form ({@link WireCode}); it stays below 0x80, which marks a catalog operation. */
    public enum Verb implements WireCode {
        SET(0), CAS(1), LOCK(2), UNLOCK(3), GET(4), GET_TREE(5), CHECK_INDEX(6),
        CHECK_SESSION(7), CHECK_NOT_EXISTS(8), DELETE(9), DELETE_TREE(10), DELETE_CAS(11), GET_OR_EMPTY(12);

        private final int code;

        Verb(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }

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
