package dev.beacon.etcd;

/** A keys request etcd would refuse before acting: its answer is {@link #failure}. */
final class EtcdRequestException extends RuntimeException {
    private final transient EtcdFailure failure;

    EtcdRequestException(EtcdFailure failure) {
        super(failure.message() + ": " + failure.cause(), null, false, false);
        this.failure = failure;
    }

    EtcdFailure failure() {
        return failure;
    }
}
