package dev.beacon.ui;

/** A page of another datacenter that no server of it can answer now: a 503 page, never a stack trace. */
class UiUnavailable extends RuntimeException {
    UiUnavailable(String message) {
        super(message);
    }
}
