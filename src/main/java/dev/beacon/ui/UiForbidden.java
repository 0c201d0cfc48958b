package dev.beacon.ui;

/** A write posted from a page of another site; see {@link SameOrigin}. */
class UiForbidden extends RuntimeException {
    UiForbidden() {
        super("cross-site write refused");
    }
}
