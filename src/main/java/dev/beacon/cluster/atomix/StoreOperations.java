package dev.beacon.cluster.atomix;

import io.atomix.primitive.operation.OperationId;

/** The two operations of the store primitive. Both carry raw bytes: Beacon's own codec, not Atomix's Kryo. */
final class StoreOperations {
    /** Applies an encoded {@link dev.beacon.state.Command}; answers an encoded {@link dev.beacon.state.Outcome}. */
    static final OperationId APPLY = OperationId.command("apply");
    /**
     * Answers an encoded {@link dev.beacon.state.Query} from the replica that runs it: sent to the leader, this
     * is how default and consistent reads see the leader's state, as Consul forwards them to its leader.
     */
    static final OperationId READ = OperationId.query("read");

    private StoreOperations() {
    }
}
