package dev.beacon.cluster;

import dev.beacon.state.Store;

/** A write that adds data was refused because a server's storage quota is reached (the NOSPACE alarm). */
public final class NoSpaceException extends RuntimeException {
    public NoSpaceException() {
        super(Store.NO_SPACE, null, false, false);
    }
}
