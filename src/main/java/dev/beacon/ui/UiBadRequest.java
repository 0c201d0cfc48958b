package dev.beacon.ui;

/** A UI request that makes no sense (a malformed index in a live refresh): a 400 page, never a stack trace. */
class UiBadRequest extends RuntimeException {
    UiBadRequest(String message) {
        super(message);
    }
}
