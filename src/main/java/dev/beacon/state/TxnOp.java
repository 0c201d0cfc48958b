package dev.beacon.state;

/**
 * One KV operation of a transaction, as Consul's {@code /v1/txn} names them. Unused fields are null or 0:
 * {@code index} is the expected ModifyIndex of cas/check-index/delete-cas, {@code session} that of
 * lock/unlock/check-session.
 */
public record TxnOp(Verb verb, String key, byte[] value, long flags, long index, String session)
        implements TxnOperation {

    public enum Verb {
        SET("set"), CAS("cas"), LOCK("lock"), UNLOCK("unlock"), GET("get"), GET_TREE("get-tree"),
        CHECK_INDEX("check-index"), CHECK_SESSION("check-session"), CHECK_NOT_EXISTS("check-not-exists"),
        DELETE("delete"), DELETE_TREE("delete-tree"), DELETE_CAS("delete-cas");

        private final String wireName;

        Verb(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        /** The verb for Consul's name, or null if there is none. */
        public static Verb fromWire(String name) {
            for (Verb v : values()) {
                if (v.wireName.equalsIgnoreCase(name)) {
                    return v;
                }
            }
            return null;
        }
    }

    public TxnOp {
        key = Text.orEmpty(key);
    }
}
