package dev.beacon.cluster;

/**
 * Another datacenter refused a request (a 4xx: no permission for the token there, a value it does not accept);
 * nothing was written. The message is its one-line answer.
 */
public final class RemoteRefusalException extends RuntimeException {
    private final int status;

    public RemoteRefusalException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
