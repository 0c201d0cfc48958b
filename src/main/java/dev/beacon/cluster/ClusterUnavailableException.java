package dev.beacon.cluster;

/**
 * A request the cluster could not serve although it has a leader: the leader could not be reached, or did not
 * answer in time. The message is written for the client, in Consul's words ({@code rpc error making call: ...}),
 * with no class names or addresses, and says when a write may still have been applied.
 */
public final class ClusterUnavailableException extends RuntimeException {
    public ClusterUnavailableException(String message) {
        super(message, null, false, false);
    }
}
