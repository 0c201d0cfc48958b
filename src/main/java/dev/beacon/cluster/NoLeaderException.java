package dev.beacon.cluster;

/** A write or consistent read could not be served because the cluster has no leader (yet). */
public final class NoLeaderException extends RuntimeException {
    public NoLeaderException(String message) {
        super(message);
    }
}
