package dev.beacon.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides which failures reach the log: the first of each kind in an interval, with the count of that kind left
 * out since. A lost leader fails every request in flight at once, and a line (or a stack trace) per request
 * buried the one that said what happened.
 */
final class FailureLog {
    private final long intervalNanos;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    FailureLog(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /**
     * @return -1 if this failure is left out of the log, else how many of its kind were left out since the last
     * one logged
     */
    long admit(String kind, long nowNanos) {
        Window window = windows.computeIfAbsent(kind, k -> new Window());
        synchronized (window) {
            if (window.logged && nowNanos - window.lastLoggedNanos < intervalNanos) {
                window.leftOut++;
                return -1;
            }
            window.logged = true;
            window.lastLoggedNanos = nowNanos;
            long leftOut = window.leftOut;
            window.leftOut = 0;
            return leftOut;
        }
    }

    private static final class Window {
        private boolean logged;
        private long lastLoggedNanos;
        private long leftOut;
    }
}
