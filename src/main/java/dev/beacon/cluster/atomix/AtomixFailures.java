package dev.beacon.cluster.atomix;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import dev.beacon.cluster.ClusterUnavailableException;
import dev.beacon.cluster.NoLeaderException;
import io.atomix.primitive.PrimitiveException;
import io.atomix.protocols.raft.RaftException;

/**
 * Turns Atomix's failures into answers a client can act on. Atomix reports a missing leader, a lost session or an
 * unreachable peer with its own exception types, whose messages carry class names and addresses; clients got
 * those verbatim in 500s. Anything not recognised here is passed on as it is, as a defect.
 */
final class AtomixFailures {
    private AtomixFailures() {
    }

    /**
     * @param write       whether the operation was a command (which may have been applied although it failed)
     * @param leaderKnown whether this server knows a leader now
     */
    static Throwable translate(Throwable failure, boolean write, boolean leaderKnown) {
        Throwable cause = unwrap(failure);
        if (cause instanceof TimeoutException || cause instanceof PrimitiveException.Timeout) {
            return new ClusterUnavailableException(write
                    ? "rpc error making call: timed out waiting for the write to commit; it may still be applied"
                    : "rpc error making call: timed out waiting for the leader");
        }
        if (!write && unconfirmed(cause)) {
            return new ClusterUnavailableException(
                    "rpc error making call: the leader could not confirm its leadership in time for this read");
        }
        if (!unreachable(cause)) {
            return cause;
        }
        if (!leaderKnown || cause instanceof RaftException.NoLeader) {
            return new NoLeaderException("No cluster leader");
        }
        return new ClusterUnavailableException(write
                ? "rpc error making call: lost contact with the leader; the write may or may not have been applied"
                : "rpc error making call: the leader could not be reached");
    }

    /**
     * A read on the leader that could not hear from a majority in time: the leader reports it as a failed query,
     * with the server's {@code ProtocolException: Failed to reach consensus} as its message.
     */
    private static boolean unconfirmed(Throwable cause) {
        return cause instanceof RaftException.QueryFailure || cause instanceof PrimitiveException.QueryFailure
                || cause instanceof ReadRefusedException;
    }

    /**
     * Failures to reach the leader: any I/O failure (a refused connection, a closed channel, Atomix's messaging
     * errors; Netty's native transport reports a connection reset by the dying leader as a plain IOException),
     * or Atomix's own words for the same.
     */
    private static boolean unreachable(Throwable cause) {
        return cause instanceof IOException
                || cause instanceof PrimitiveException.Unavailable
                || cause instanceof PrimitiveException.ClosedSession
                || cause instanceof PrimitiveException.UnknownSession
                || cause instanceof PrimitiveException.UnknownClient
                || cause instanceof RaftException.NoLeader
                || cause instanceof RaftException.Unavailable
                || cause instanceof RaftException.ClosedSession
                || cause instanceof RaftException.ProtocolException;
    }

    /** The failure under Java's future wrappers. */
    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
