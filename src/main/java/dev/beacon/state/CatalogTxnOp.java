package dev.beacon.state;

/**
 * A catalog operation of a transaction, as Consul's {@code /v1/txn} names them. {@code index} is the expected
 * ModifyIndex of cas and delete-cas: 0 for cas means "only if it does not exist yet".
 */
public sealed interface CatalogTxnOp extends TxnOperation {

    Verb verb();

    long index();

    /** The code is the stored form ({@link WireCode}). */
    enum Verb implements WireCode {
        SET(0), CAS(1), GET(2), DELETE(3), DELETE_CAS(4);

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

    /** On a node; get and the deletes use only its name. */
    record OnNode(Verb verb, Node node, long index) implements CatalogTxnOp {
    }

    /** On a service instance; get and the deletes use only its node and id. */
    record OnService(Verb verb, ServiceInstance service, long index) implements CatalogTxnOp {
    }

    /** On a check; get and the deletes use only its node and id. */
    record OnCheck(Verb verb, HealthCheck check, long index) implements CatalogTxnOp {
    }
}
