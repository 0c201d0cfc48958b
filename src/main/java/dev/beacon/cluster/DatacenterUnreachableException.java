package dev.beacon.cluster;

/** No server of another datacenter could be reached, so nothing was sent to it. */
public final class DatacenterUnreachableException extends RuntimeException {
    public DatacenterUnreachableException(String datacenter) {
        super("No server of datacenter \u201c" + datacenter + "\u201d can be reached", null, false, false);
    }
}
