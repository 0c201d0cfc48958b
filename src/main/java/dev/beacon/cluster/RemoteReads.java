package dev.beacon.cluster;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.beacon.state.Indexed;
import dev.beacon.state.Query;

/** Reads of another datacenter's data, answered by one of its servers from its own replica (as its UI reads). */
public interface RemoteReads {
    /**
     * The answer to {@code query} in {@code datacenter}, once its index is past {@code index} there or {@code wait}
     * has passed (0: at once). {@code fromLeader}: read from its leader rather than the answering server's replica,
     * which may not have applied a write the leader just confirmed. Fails with {@link ClusterUnavailableException}
     * when no server of it can be reached.
     */
    <T> CompletableFuture<Indexed<T>> read(String datacenter, Query<T> query, long index, Duration wait,
                                           boolean fromLeader);
}
