package dev.beacon.cluster;

import io.atomix.primitive.operation.OperationId;

/** The two operations of the store primitive. Both carry raw bytes: Beacon's own codec, not Atomix's Kryo. */
final class StoreOperations {
    /** Applies an encoded {@link dev.beacon.state.Command}; answers an encoded {@link dev.beacon.state.Outcome}. */
    static final OperationId APPLY = OperationId.command("apply");
    /** Answers the last applied index as 8 bytes: the "read index" for default and consistent reads. */
    static final OperationId LAST_INDEX = OperationId.query("lastIndex");

    private StoreOperations() {
    }
}
