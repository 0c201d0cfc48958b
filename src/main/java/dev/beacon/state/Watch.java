package dev.beacon.state;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Interest in one resource (a key, a prefix or a table) registered by a parked reader. It fires at most once:
 * either when the resource changes or never, if cancelled first (the reader's wait ran out).
 */
public final class Watch {
    private final long index;
    private final Runnable onChange;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile Runnable unregister = () -> { };

    Watch(long index, Runnable onChange) {
        this.index = index;
        this.onChange = onChange;
    }

    /** The index the reader has seen; only a change above it is news. */
    long index() {
        return index;
    }

    void unregisterWith(Runnable unregister) {
        this.unregister = unregister;
    }

    void fire() {
        if (done.compareAndSet(false, true)) {
            // A watch on several tables was taken from one; it must not linger in the others.
            unregister.run();
            onChange.run();
        }
    }

    /** Stops the watch: if it has not fired yet, it never will. */
    public void cancel() {
        if (done.compareAndSet(false, true)) {
            unregister.run();
        }
    }

    public boolean isDone() {
        return done.get();
    }
}
