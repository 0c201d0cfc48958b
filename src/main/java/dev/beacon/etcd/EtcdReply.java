package dev.beacon.etcd;

import java.util.concurrent.CompletionException;

/**
 * An answer of the etcd front door before it is written: its status, the value to write as JSON (or text for a
 * {@link String}), and the etcd index it reflects ({@code X-Etcd-Index}; {@link #NO_INDEX} to leave the header out, as
 * etcd leaves it out of answers that are neither keys nor errors).
 */
record EtcdReply(int status, Object body, long etcdIndex) {
    static final long NO_INDEX = -1;

    static EtcdReply failure(EtcdFailure failure) {
        return new EtcdReply(failure.status(), failure, failure.index());
    }

    /**
     * A request the cluster could not serve (no leader, no quorum, a write that timed out), as etcd answers one:
     * 500, errorCode 300, the cause in one line. The cluster's own failures already read like Consul's and carry no
     * class names or addresses.
     */
    static EtcdReply clusterFailure(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return failure(EtcdFailure.of(EtcdFailure.RAFT_INTERNAL, message.lines().findFirst().orElse(""), 0));
    }
}
