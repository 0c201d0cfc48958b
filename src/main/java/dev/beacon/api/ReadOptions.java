package dev.beacon.api;

import java.time.Duration;

/**
 * How a GET wants to be served: which consistency, and whether it blocks ({@code ?index=N&wait=D}).
 *
 * @param index the index the caller has seen; 0 means "do not block"
 */
public record ReadOptions(Consistency consistency, long index, Duration maxWait) {
    static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);
    static final Duration MAX_WAIT = Duration.ofMinutes(10);

    public enum Consistency {
        /** Served from the leader's state: wait until this replica has what the leader had when asked. */
        DEFAULT,
        /** As DEFAULT, but the leader first confirms it still leads (a quorum round trip). */
        CONSISTENT,
        /** This replica, as it is. */
        STALE
    }

    public static ReadOptions from(QueryParams params) {
        boolean stale = params.flag("stale");
        boolean consistent = params.flag("consistent");
        if (stale && consistent) {
            throw ApiException.badRequest("Cannot specify ?stale with ?consistent, conflicting semantics.");
        }
        Consistency consistency = stale ? Consistency.STALE : consistent ? Consistency.CONSISTENT : Consistency.DEFAULT;
        long index = params.uint64("index", 0);
        Duration wait = DEFAULT_WAIT;
        String waitText = params.get("wait");
        if (waitText != null) {
            try {
                wait = GoDuration.parse(waitText);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("Invalid wait time: " + waitText);
            }
        }
        if (wait.compareTo(MAX_WAIT) > 0) {
            wait = MAX_WAIT;
        }
        return new ReadOptions(consistency, index, wait);
    }
}
