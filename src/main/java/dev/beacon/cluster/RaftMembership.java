package dev.beacon.cluster;

import java.util.concurrent.CompletableFuture;

/**
 * Changes to which servers vote in Raft, made through the leader while the cluster runs. A new server needs no
 * call here: started with the running servers in its retry-join list, it asks the leader to add it.
 */
public interface RaftMembership {

    /**
     * Removes a server that died for good from the Raft configuration (Consul's {@code operator raft
     * remove-peer}), so that the quorum is counted without it. Fails with {@link NoLeaderException} when there is
     * no leader, or {@link ClusterUnavailableException} when the leader did not make the change.
     */
    CompletableFuture<Void> removePeer(String address);
}
