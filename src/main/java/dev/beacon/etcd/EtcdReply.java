package dev.beacon.etcd;

/**
 * An answer of the etcd front door before it is written: its status, the value to write as JSON (or text for a
 * {@link String}), and the etcd index it reflects ({@code X-Etcd-Index}; 0 to leave the header out).
 */
record EtcdReply(int status, Object body, long etcdIndex) {
    static EtcdReply failure(EtcdFailure failure) {
        return new EtcdReply(failure.status(), failure, failure.index());
    }
}
